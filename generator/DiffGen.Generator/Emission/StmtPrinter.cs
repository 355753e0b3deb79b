using System.Linq;
using DiffGen.Generator.Helpers;
using DiffGen.Generator.Model;

namespace DiffGen.Generator.Emission;

/// <summary>Writes IR statements, one C# statement per line.</summary>
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
                writer.WriteLine(d.Type.CSharp + " " + d.Name + (d.Init is null ? string.Empty : " = " + ExprPrinter.Print(d.Init)) + ";");
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
            case CallStmt c:
                string call = c.Call.Method + "(" + string.Join(", ", c.Call.Args.Select(ExprPrinter.Print)) + ")";
                writer.WriteLine((c.ResultVar is null ? call : c.ResultVar + " = " + call) + ";");
                break;
            case Invoke inv:
                writer.WriteLine(inv.Method + "(" + string.Join(", ", inv.Args.Select(ExprPrinter.Print)) + ");");
                break;
            case Comment comment:
                writer.WriteLine("// " + comment.Text);
                break;
            case RawStmt raw:
                writer.WriteLine(raw.Text);
                break;
            default:
                // Break/Continue/Return never survive normalization; printing them would change the program.
                throw new System.InvalidOperationException("Unexpected statement " + statement.GetType().Name);
        }
    }

    private static void WriteLoop(SourceWriter writer, Loop loop)
    {
        string condition = loop.Condition is null ? "true" : ExprPrinter.Print(loop.Condition);
        bool header = loop.Init.Statements.Count <= 1 && loop.Init.Statements.All(s => s is Declare or Assign)
            && loop.Update.Statements.Count <= 1 && loop.Update.Statements.All(s => s is Assign)
            && (loop.Init.Statements.Count > 0 || loop.Update.Statements.Count > 0);
        if (header)
        {
            string init = loop.Init.Statements.Count == 0 ? string.Empty : InitText(loop.Init.Statements[0]);
            string update = loop.Update.Statements.Count == 0 ? string.Empty : AssignText((Assign)loop.Update.Statements[0]);
            writer.OpenBlock("for (" + init + "; " + condition + "; " + update + ")");
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

        string op = a.Kind switch { AssignKind.Add => " += ", AssignKind.Subtract => " -= ", _ => " = " };
        return target + op + ExprPrinter.Print(a.Value);
    }
}
