using Csms.Ocpp.Messages;

namespace Csms.Ocpp.Tests.Messages;

public class OcppActionCatalogTests
{
    [Theory]
    [InlineData(OcppVersion.V16)]
    [InlineData(OcppVersion.V201)]
    [InlineData(OcppVersion.V21)]
    public void Every_schema_file_has_a_catalogued_action_and_type(OcppVersion version)
    {
        var actions = OcppActionCatalog.For(version);
        var files = Directory.GetFiles(RepoRoot.SchemaDirectory(version.Number()), "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToList();
        var problems = new List<string>();

        foreach (var file in files)
        {
            var (action, kind) = Classify(version, file);
            if (!actions.TryGet(action, out var info))
            {
                problems.Add($"{file}: no action {action}");
                continue;
            }
            var (type, typeInfo) = kind == "Response" ? (info.ResponseType, info.ResponseTypeInfo) : (info.RequestType, info.RequestTypeInfo);
            var expectedName = kind == "Send" ? action : action + kind;
            if (type is null || typeInfo is null || type.Name != expectedName || typeInfo.Type != type || type.Namespace != $"Csms.Ocpp.Messages.{version}")
            {
                problems.Add($"{file}: {kind} type is {type?.FullName ?? "missing"}");
            }
            if (kind == "Send" != info.IsSend)
            {
                problems.Add($"{file}: IsSend is {info.IsSend}");
            }
        }

        Assert.Empty(problems);
        Assert.Equal(files.Select(f => Classify(version, f).Action).Distinct().Count(), actions.All.Count);
        Assert.All(actions.All, a => Assert.Equal(version, a.Version));
    }

    [Fact]
    public void Action_lookup_is_case_sensitive()
    {
        var actions = OcppActionCatalog.For(OcppVersion.V201);

        Assert.True(actions.TryGet("BootNotification", out var info));
        Assert.Equal(typeof(Csms.Ocpp.Messages.V201.BootNotificationRequest), info.RequestType);
        Assert.Equal(typeof(Csms.Ocpp.Messages.V201.BootNotificationResponse), info.ResponseType);
        Assert.False(actions.TryGet("bootnotification", out _));
        Assert.False(actions.TryGet("BootNotificationRequest", out _));
    }

    [Fact]
    public void The_2_1_periodic_event_stream_is_a_send_message_without_response()
    {
        Assert.True(OcppActionCatalog.For(OcppVersion.V21).TryGet("NotifyPeriodicEventStream", out var info));

        Assert.True(info.IsSend);
        Assert.Equal(typeof(Csms.Ocpp.Messages.V21.NotifyPeriodicEventStream), info.RequestType);
        Assert.Null(info.ResponseType);
        Assert.Null(info.ResponseTypeInfo);
    }

    [Fact]
    public void Actions_are_listed_in_name_order()
    {
        foreach (var version in OcppVersions.All)
        {
            var names = OcppActionCatalog.For(version).All.Select(a => a.Action).ToList();
            Assert.Equal(names.Order(StringComparer.Ordinal), names);
        }
    }

    // deliberately independent of the generator's own classification
    internal static (string Action, string Kind) Classify(OcppVersion version, string file)
    {
        if (file.EndsWith("Response", StringComparison.Ordinal))
        {
            return (file[..^"Response".Length], "Response");
        }
        if (version == OcppVersion.V16)
        {
            return (file, "Request");
        }
        return file.EndsWith("Request", StringComparison.Ordinal) ? (file[..^"Request".Length], "Request") : (file, "Send");
    }
}
