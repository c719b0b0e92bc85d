using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Api.WebConsole;

/// <summary>
/// Serves the session console (<c>wwwroot</c>) at <c>/</c>. The files are embedded in the assembly, so every front end
/// serves them whatever its working directory (the cluster tests start <c>Api.dll</c> from its build folder, where
/// the SDK copies no <c>wwwroot</c>).
/// </summary>
internal static class ConsoleFiles
{
    // Same-origin scripts, styles and sockets only: the console has no inline code and loads nothing from elsewhere.
    private const string ContentSecurityPolicy =
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSessionConsole(this IApplicationBuilder app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(ConsoleFiles).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        return app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";

                // Revalidated on each load (cheap: ETag), so a redeployed front end never runs an old client module.
                headers.CacheControl = "no-cache";
            },
        });
    }
}
