using Csms.Ocpp.CodeGen;

namespace Csms.Ocpp.Tests.Messages;

public class GeneratedModelsTests
{
    [Fact]
    public void Committed_generated_files_match_what_the_generator_produces_now()
    {
        var expected = ModelGenerator.Generate(RepoRoot.Path);
        var generatedRoot = Path.Combine(RepoRoot.Path, ModelGenerator.OutputDirectory);
        var committed = Directory.GetFiles(generatedRoot, "*.g.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(RepoRoot.Path, f).Replace('\\', '/'), f => Normalize(File.ReadAllText(f)), StringComparer.Ordinal);

        var missing = expected.Keys.Except(committed.Keys).ToList();
        var stale = committed.Keys.Except(expected.Keys).ToList();
        var edited = expected.Keys.Intersect(committed.Keys).Where(k => committed[k] != Normalize(expected[k])).ToList();

        Assert.True(missing.Count + stale.Count + edited.Count == 0,
            "Generated models are out of date; run: dotnet run --project src/Ocpp.CodeGen -- <repo root>\n" +
            $"missing: {string.Join(", ", missing)}\nstale: {string.Join(", ", stale)}\nchanged: {string.Join(", ", edited)}");
    }

    [Fact]
    public void Generating_twice_gives_identical_output()
    {
        var first = ModelGenerator.Generate(RepoRoot.Path);
        var second = ModelGenerator.Generate(RepoRoot.Path);

        Assert.Equal(first, second);
    }

    [Fact]
    public void No_two_different_shapes_share_a_type_name()
    {
        foreach (var model in ModelGenerator.ReadModels(RepoRoot.Path))
        {
            var names = model.Types.Select(t => t.Name).ToList();
            Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public void Symbolic_and_dotted_wire_values_become_valid_identifiers()
    {
        Assert.Equal("EnergyActiveImportRegister", Naming.Pascal("Energy.Active.Import.Register"));
        Assert.Equal("KWh", Naming.Pascal("kWh"));
        Assert.Equal("ISO15118PnC", Naming.Pascal("ISO15118PnC"));
        Assert.Equal("L1N", Naming.Pascal("L1-N"));
        Assert.Equal("Minus", Naming.Pascal("-"));
        Assert.Equal("Value15118", Naming.Pascal("15118"));
        Assert.Equal("S3091P16A", Naming.Pascal("s309-1P-16A"));
        Assert.Equal(["A", "A2", "B"], Naming.Unique(["A", "A", "B"]));
    }

    // git may check files out with CRLF on Windows; the content is what matters
    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
