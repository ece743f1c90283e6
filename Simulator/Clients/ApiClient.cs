using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SafetyPatrol.Simulator.Clients;

/// <summary>The HTTP API (docs/interface.md §4), signed in as one user.</summary>
public sealed class ApiClient : IDisposable
{
    private ApiClient(HttpClient http, string token)
    {
        Http = http;
        Token = token;
    }

    public HttpClient Http { get; }

    public string Token { get; }

    public static async Task<ApiClient> SignIn(Uri baseUrl, string username, string password, CancellationToken cancellationToken = default)
    {
        var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var response = await http.PostAsJsonAsync("/api/auth/token", new { username, password }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Signing in to {baseUrl} as {username} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ApiClient(http, token);
    }

    /// <summary>Waits until <c>/health</c> answers 200.</summary>
    public static async Task WaitUntilHealthy(Uri baseUrl, TimeSpan within, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/health", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{baseUrl} was not healthy within {within}.");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    public void Dispose() => Http.Dispose();
}
