using System;
using System.Globalization;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Parsing;

/// <summary>Spells constants as C# literals: invariant culture, round-trip precision, typed suffixes.</summary>
internal static class LiteralFormatter
{
    public static Literal? FromConstant(object? value, TypeRef type)
    {
        switch (type.Element)
        {
            case ElementKind.Double when type.IsScalar:
                return Real(System.Convert.ToDouble(value, CultureInfo.InvariantCulture), type);
            case ElementKind.Float when type.IsScalar:
                return Real(System.Convert.ToSingle(value, CultureInfo.InvariantCulture), type);
            case ElementKind.Int when type.IsScalar:
                return new Literal(type, System.Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
            case ElementKind.Bool when type.IsScalar && value is bool b:
                return new Literal(type, b ? "true" : "false");
            default:
                return null;
        }
    }

    public static Literal Real(double value, TypeRef type)
    {
        if (type.Element == ElementKind.Float)
        {
            float f = (float)value;
            if (float.IsNaN(f))
            {
                return new Literal(type, "float.NaN");
            }

            if (float.IsInfinity(f))
            {
                return new Literal(type, f > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity");
            }

            return new Literal(type, f.ToString("R", CultureInfo.InvariantCulture) + "f");
        }

        if (double.IsNaN(value))
        {
            return new Literal(type, "double.NaN");
        }

        if (double.IsInfinity(value))
        {
            return new Literal(type, value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity");
        }

        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0)
        {
            text += ".0";
        }

        return new Literal(type, text);
    }

    public static Literal Int(int value) => new(TypeRef.Int, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>The numeric value of a real literal (for simplification), or null.</summary>
    public static double? ValueOf(Literal literal)
    {
        string text = literal.Text.EndsWith("f", StringComparison.Ordinal) ? literal.Text.Substring(0, literal.Text.Length - 1) : literal.Text;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
    }
}
