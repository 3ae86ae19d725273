using SharpFuzz;
using XmrEngine.Fuzz;

// xmr-fuzz TARGET            run under AFL++ (afl-fuzz ... -- dotnet XmrEngine.Fuzz.dll TARGET)
// xmr-fuzz TARGET --seeds D  write the target's seed inputs into D
// xmr-fuzz TARGET < FILE     outside AFL++, SharpFuzz runs the target once on standard input (replaying a finding)
if (args.Length == 0 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: XmrEngine.Fuzz {string.Join('|', FuzzTargets.All.Keys)} [--seeds DIR]");
    return 2;
}
if (args.Length == 3 && args[1] == "--seeds")
{
    FuzzSeeds.Write(args[0], args[2]);
    return 0;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var copy = new MemoryStream();
    stream.CopyTo(copy);
    target(copy.ToArray());
});
return 0;
