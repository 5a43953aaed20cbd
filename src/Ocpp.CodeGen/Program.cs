using Csms.Ocpp.CodeGen;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: dotnet run --project src/Ocpp.CodeGen -- <repo root>");
    return 2;
}

var root = Path.GetFullPath(args[0]);
foreach (var model in ModelGenerator.ReadModels(root))
{
    foreach (var note in model.Notes)
    {
        Console.WriteLine(note);
    }
}
var files = ModelGenerator.Generate(root);
var written = ModelGenerator.WriteTo(root, files);
Console.WriteLine($"{files.Count} files generated, {written} changed or removed, under {ModelGenerator.OutputDirectory}");
return 0;
