using System.Text;

namespace DiffGen.Generator.Helpers;

/// <summary>Indentation-aware text builder for generated source (four spaces per level, '\n' line ends).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();

    public int Indentation { get; set; }

    public void WriteLine(string line)
    {
        if (line.Length > 0)
        {
            _builder.Append(' ', Indentation * 4);
            _builder.Append(line);
        }

        _builder.Append('\n');
    }

    public void WriteLine() => _builder.Append('\n');

    public void OpenBlock(string? header = null)
    {
        if (header is not null)
        {
            WriteLine(header);
        }

        WriteLine("{");
        Indentation++;
    }

    public void CloseBlock(string suffix = "")
    {
        Indentation--;
        WriteLine("}" + suffix);
    }

    public override string ToString() => _builder.ToString();
}
