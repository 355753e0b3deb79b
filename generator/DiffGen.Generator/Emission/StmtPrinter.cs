using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emission;

/// <summary>Writes IR statements, one C# statement per line. Formatting only: every decision was made before.</summary>
internal static class StmtPrinter
{
    public static void Write(SourceWriter writer, Stmt statement)
    {
        switch (statement)
        {
            case Block block:
                foreach (Stmt inner in block.Statements)
                {
                    Write(writer, inner);
                }

                break;
            case Declare d:
                writer.WriteLine((d.Scoped ? "scoped " : string.Empty) + d.Type.CSharp + " " + d.Name + (d.Init is null ? string.Empty : " = " + ExprPrinter.Print(d.Init)) + ";");
                break;
            case Assign a:
                writer.WriteLine(AssignText(a) + ";");
                break;
            case If i:
                writer.OpenBlock("if (" + ExprPrinter.Print(i.Condition) + ")");
                Write(writer, i.Then);
                writer.CloseBlock();
                if (i.Else is { Statements.Count: > 0 })
                {
                    writer.OpenBlock("else");
                    Write(writer, i.Else);
                    writer.CloseBlock();
                }

                break;
            case Loop l:
                WriteLoop(writer, l);
                break;
            case Return r:
                writer.WriteLine(r.Value is null ? "return;" : "return " + ExprPrinter.Print(r.Value) + ";");
                break;
            case CallStmt c:
                {
                    string call = c.Call.Method + "(" + string.Join(", ", c.Call.Args.Select(ExprPrinter.Print)) + ")";
                    string text = c.ResultVar is null ? call
                        : c.DeclaresResult ? c.Call.ReturnType.CSharp + " " + c.ResultVar + " = " + call
                        : c.ResultVar + " = " + call;
                    writer.WriteLine(text + ";");
                    break;
                }

            case Evaluate e:
                writer.WriteLine(ExprPrinter.Print(e.Code) + ";");
                break;
            case PullbackCall p:
                writer.WriteLine((p.Result is not { } value ? string.Empty : p.DeclaresResult ? value.Type.CSharp + " " + value.Name + " = " : value.Name + " = ")
                    + p.Method + "(" + string.Join(", ", p.Args.Select(ExprPrinter.Print)) + ");");
                break;
            case Comment comment:
                writer.WriteLine("// " + comment.Text);
                break;
            case DeclareTape t:
                writer.WriteLine($"{KnownTypeNames.Tape}<{Keyword(t.Element)}> {t.Name} = default;");
                break;
            case DisposeTape t:
                writer.WriteLine(t.Name + ".Dispose();");
                break;
            case Push p:
                writer.WriteLine(p.Tape + ".Push(" + ExprPrinter.Print(p.Value) + ");");
                break;
            case PushRange p:
                writer.WriteLine(p.Tape + ".PushRange(" + p.Vector + Count(p.Count) + ");");
                break;
            case PopRange p:
                writer.WriteLine(p.Tape + ".PopRange(" + p.Vector + Count(p.Count) + ");");
                break;
            case SlotBind b:
                writer.WriteLine($"{b.Vector} = {b.Tape}.{(b.Push ? "PushSlot" : "PopSlot")}({b.Vector}.Length);");
                break;
            case RentBuffer r:
                {
                    string keyword = Keyword(r.Element);
                    string length = ExprPrinter.Print(r.Length);
                    string rent = $"{KnownTypeNames.ArrayPool}<{keyword}>.Shared.Rent({length})";
                    string span = $"new global::System.Span<{keyword}>({r.Buffer}, 0, {length})";
                    if (r.StackLimit > 0)
                    {
                        // Small on the stack, large from the pool.
                        writer.WriteLine($"{keyword}[]? {r.Buffer} = {length} > {r.StackLimit} ? {rent} : null;");
                        writer.WriteLine($"global::System.Span<{keyword}> {r.Span} = {r.Buffer} is null ? stackalloc {keyword}[{length}] : {span};");
                        if (r.Clear)
                        {
                            writer.WriteLine(r.Span + ".Clear();");
                        }

                        break;
                    }

                    writer.WriteLine(r.Declared ? $"{keyword}[] {r.Buffer} = {rent};" : $"{r.Buffer} = {rent};");
                    writer.WriteLine(r.Declared ? $"global::System.Span<{keyword}> {r.Span} = {span};" : $"{r.Span} = {span};");
                    if (r.Clear)
                    {
                        writer.WriteLine(r.Span + ".Clear();");
                    }
                    break;
                }

            case DeclareBuffer b:
                writer.WriteLine($"{Keyword(b.Element)}[]? {b.Buffer} = null;");
                writer.WriteLine($"global::System.Span<{Keyword(b.Element)}> {b.Span} = default;");
                break;
            case ReturnBuffer r:
                writer.WriteLine((r.MayBeNull ? $"if ({r.Buffer} is not null) " : string.Empty) + $"{KnownTypeNames.ArrayPool}<{Keyword(r.Element)}>.Shared.Return({r.Buffer});");
                break;
            case ClearVector c:
                writer.WriteLine(c.Vector + ".Clear();");
                break;
            case LengthGuard g:
                {
                    string gradientName = g.GradientDisplay is null ? $"nameof({g.Gradient})" : "\"" + g.GradientDisplay + "\"";
                    string primalName = g.PrimalDisplay is null ? $"nameof({g.Primal})" : "\"" + g.PrimalDisplay + "\"";
                    writer.WriteLine($"if ({g.Gradient}.Length != {g.Primal}.Length) {KnownTypeNames.GradientGuard}.ThrowLengthMismatch({gradientName}, {primalName}, {g.Primal}.Length, {g.Gradient}.Length);");
                    break;
                }
            case VectorKernel k:
                writer.WriteLine(KernelText(k) + ";");
                break;
            default:
                // Break and Continue never survive normalization; printing them would change the program.
                throw new System.InvalidOperationException("Unexpected statement " + statement.GetType().Name);
        }
    }

    /// <summary>The count argument of a partial push or pop (the part of a scratch vector a loop writes), or nothing.</summary>
    private static string Count(Expr? count) => count is null ? string.Empty : ", " + ExprPrinter.Print(count);

    private static string KernelText(VectorKernel k)
    {
        string d = ExprPrinter.Print(k.Destination);
        string[] o = k.Operands.Select(ExprPrinter.Print).ToArray();
        string t = KnownTypeNames.TensorPrimitives;
        return k.Op switch
        {
            KernelOp.AddScalar => $"{t}.Add({d}, {o[0]}, {d})",
            KernelOp.SubtractScalar => $"{t}.Subtract({d}, {o[0]}, {d})",
            KernelOp.MultiplyAdd => $"{t}.MultiplyAdd({o[0]}, {o[1]}, {d}, {d})",
            KernelOp.MultiplyAddVectors => $"{t}.MultiplyAdd({o[0]}, {o[1]}, {d}, {d})",
            KernelOp.AddVector => $"{t}.Add({d}, {o[0]}, {d})",
            _ => $"{t}.Subtract({d}, {o[0]}, {d})",
        };
    }

    private static string Keyword(ElementKind element) => element switch
    {
        ElementKind.Float => "float",
        ElementKind.Double => "double",
        ElementKind.Bool => "bool",
        _ => "int",
    };

    private static void WriteLoop(SourceWriter writer, Loop loop)
    {
        string condition = loop.Condition is null ? "true" : ExprPrinter.Print(loop.Condition);
        bool header = loop.Init.Statements.Count <= 1 && loop.Init.Statements.All(s => s is Declare or Assign)
            && loop.Update.Statements.Count <= 1 && loop.Update.Statements.All(s => s is Assign);
        if (header)
        {
            string init = loop.Init.Statements.Count == 0 ? string.Empty : InitText(loop.Init.Statements[0]);
            string update = loop.Update.Statements.Count == 0 ? string.Empty : AssignText((Assign)loop.Update.Statements[0]);
            writer.OpenBlock(init.Length == 0 && update.Length == 0 ? "while (" + condition + ")" : "for (" + init + "; " + condition + "; " + update + ")");
            Write(writer, loop.Body);
            writer.CloseBlock();
            return;
        }

        foreach (Stmt s in loop.Init.Statements)
        {
            Write(writer, s);
        }

        writer.OpenBlock("while (" + condition + ")");
        Write(writer, loop.Body);
        foreach (Stmt s in loop.Update.Statements)
        {
            Write(writer, s);
        }

        writer.CloseBlock();
    }

    private static string InitText(Stmt s) => s switch
    {
        Declare d => d.Type.CSharp + " " + d.Name + " = " + (d.Init is null ? "0" : ExprPrinter.Print(d.Init)),
        Assign a => AssignText(a),
        _ => string.Empty,
    };

    private static string AssignText(Assign a)
    {
        string target = ExprPrinter.Print(a.Target);
        if (a.Kind == AssignKind.Set && a.Value is Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Right: Literal { Text: "1" } } step
            && step.Left.Equals(a.Target) && a.Target.Type == TypeRef.Int)
        {
            return target + (step.Op == BinaryOp.Add ? "++" : "--");
        }

        // The user's compound operators: s = s + e is printed s += e (the same operation, the same bits).
        if (a.Kind == AssignKind.Set && a.Value is Binary { Op: BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide } compound
            && compound.Left.Equals(a.Target) && compound.Type == a.Target.Type)
        {
            string symbol = compound.Op switch { BinaryOp.Add => " += ", BinaryOp.Subtract => " -= ", BinaryOp.Multiply => " *= ", _ => " /= " };
            return target + symbol + ExprPrinter.Print(compound.Right);
        }

        string op = a.Kind switch { AssignKind.Add => " += ", AssignKind.Subtract => " -= ", _ => " = " };
        return target + op + ExprPrinter.Print(a.Value);
    }
}
