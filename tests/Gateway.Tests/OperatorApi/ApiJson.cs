using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Sdk;

namespace Csms.Gateway.Tests.OperatorApi;

/// <summary>Small helpers for calling the operator API and reading its JSON answers in tests.</summary>
public static class ApiJson
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient http, HttpMethod method, string path,
        object? body = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path.TrimStart('/'), UriKind.Relative));
        if (body is not null)
        {
            request.Content = body is string text
                ? new StringContent(text, System.Text.Encoding.UTF8, "application/json")
                : JsonContent.Create(body);
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }
        using var response = await http.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, content.Length == 0 ? default : JsonDocument.Parse(content).RootElement.Clone());
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path) => SendAsync(http, HttpMethod.Get, path);

    public static Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, string path, object? body = null,
        IReadOnlyDictionary<string, string>? headers = null) => SendAsync(http, HttpMethod.Post, path, body ?? new { }, headers);

    /// <summary>Asserts the status, showing the body when it is not the expected one.</summary>
    public static JsonElement Expect(this (HttpStatusCode Status, JsonElement Body) response, HttpStatusCode expected)
    {
        if (response.Status != expected)
        {
            throw new XunitException($"expected {(int)expected} {expected}, got {(int)response.Status}: {response.Body}");
        }
        return response.Body;
    }

    public static string Text(this JsonElement element, string property) =>
        element.GetProperty(property).GetString() ?? throw new XunitException($"{property} is null in {element}");

    /// <summary>Polls until <paramref name="done"/> holds for the answer (bounded: 20 s).</summary>
    public static async Task<JsonElement> PollAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var last = await read();
        while (!done(last))
        {
            if (limit.IsCancellationRequested)
            {
                throw new XunitException($"condition not met within 20 s; last answer: {last}");
            }
            await Task.Delay(100);
            last = await read();
        }
        return last;
    }
}
