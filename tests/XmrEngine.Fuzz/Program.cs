using SharpFuzz;
using XmrEngine.Fuzz;

// XmrEngine.Fuzz TARGET            run under AFL++ (afl-fuzz ... -- dotnet XmrEngine.Fuzz.dll TARGET)
// XmrEngine.Fuzz TARGET --seeds D  write the target's seed inputs into D
// XmrEngine.Fuzz TARGET < FILE     outside AFL++, SharpFuzz runs the target once on standard input (replaying a finding)
// XmrEngine.Fuzz --list            the target names, one per line
CoverageMap.UseScratchUntilFuzzing();
if (args is ["--list"])
{
    foreach (string name in FuzzTargets.All.Keys) Console.WriteLine(name);
    return 0;
}
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: XmrEngine.Fuzz {string.Join('|', FuzzTargets.All.Keys)} [--seeds DIR] | --list");
    return 2;
}
if (args.Length == 3 && args[1] == "--seeds")
{
    Directory.CreateDirectory(args[2]);
    target.Seed(args[2]);
    return 0;
}
target.Prepare?.Invoke();
Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target.Run(copy.ToArray());
});
return 0;
