// Serves every model in a folder (one .xmr file or model sub-folder each, and each NAME.cluster.json through its
// Orleans cluster) over HTTP, from the packages.
//   dotnet run -- --models ./models --urls http://127.0.0.1:5080
using XmrEngine.Cluster.Serving;
using XmrEngine.Hosting;
using XmrEngine.Kernels;

var builder = WebApplication.CreateBuilder(args);
string models = Path.GetFullPath(builder.Configuration["models"] ?? "models");
builder.Services.AddXmrEngine(o =>
{
    o.ModelsDirectory = models;
    o.AddClusterModels();
});

var app = builder.Build();
app.MapXmrEngine();

// Whether the package's native kernels (runtimes/linux-x64/native/libxmr_native.so) load in this app.
bool native = KernelRegistry.IsAvailable(KernelBackend.Native, out string why);
app.Logger.LogInformation("Serving models from {Models}; native backend: {Native}", models, native ? "available" : "unavailable (" + why + ")");
app.Run();
