using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace SafetyPatrol.Web.Api;

/// <summary>
/// Completes the generated OpenAPI document (docs/interface.md §12) from what the endpoints already declare: who may call
/// each one (its policy's roles, as <c>x-roles</c>, in the summary and as the Bearer requirement) and the problem
/// answers every call can give (RFC 7807: 400 for a body or query that does not validate, 401/403 by role, 404 for
/// an unknown id, 429 where a rate limit applies, 503 while the cluster cannot answer).
/// </summary>
public static class OpenApiAccess
{
    private const string Scheme = "Bearer";

    public static void Add(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SafetyPatrol API";
            document.Info.Description = "Facility safety patrol and alerts. Sign in with POST /api/auth/token and send the token as a Bearer header. "
                + "Errors are RFC 7807 problem details; every operation names the roles that may call it.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT", Description = "The accessToken of POST /api/auth/token",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var authorize = metadata.OfType<IAuthorizeData>().ToList();
            var anonymous = metadata.OfType<IAllowAnonymous>().Any() || authorize.Count == 0;
            var allowed = SafetyPatrol.Web.Auth.Policies.RolesOf(metadata, context.ApplicationServices);
            var who = anonymous ? "anyone" : allowed is null ? "any signed-in user" : string.Join(", ", allowed);
            operation.Summary = string.IsNullOrEmpty(operation.Summary) ? $"Roles: {who}" : $"{operation.Summary} (roles: {who})";
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-roles"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(who));
            operation.Responses ??= new OpenApiResponses();
            var method = context.Description.HttpMethod ?? "GET";
            var path = context.Description.RelativePath ?? "";
            Problem(operation, "400", "The body or query does not validate: each field with its reason.", method is "POST" or "PUT" or "PATCH" || path.Contains('?') || context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Query"));
            Problem(operation, "401", "No token, or one that expired, was revoked or belongs to a disabled user.", !anonymous);
            Problem(operation, "403", allowed is null ? "Not this caller's to see or change." : $"Signed in, but not as {who}.", !anonymous);
            Problem(operation, "404", "No such id.", path.Contains('{'));
            Problem(operation, "429", "Too many attempts; Retry-After says when to try again.", metadata.OfType<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>().Any());
            Problem(operation, "503", "The cluster cannot answer just now (a node is failing over, or the store is down): try again.", true);
            if (!anonymous)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] });
            }

            return Task.CompletedTask;
        });
    }

    private static void Problem(OpenApiOperation operation, string status, string description, bool applies)
    {
        if (applies && !operation.Responses!.ContainsKey(status))
        {
            operation.Responses[status] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() },
            };
        }
    }
}
