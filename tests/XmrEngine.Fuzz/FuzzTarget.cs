namespace XmrEngine.Fuzz;

/// <summary>
/// One reader under fuzzing: <see cref="Run"/> feeds it the fuzzer's bytes and checks the contract,
/// <see cref="Seed"/> writes valid inputs made by the engine's own writers for the fuzzer to mutate from.
/// </summary>
/// <param name="Name">The name <c>./build.sh fuzz</c> takes.</param>
/// <param name="Run">Reads one input; throws only on a contract violation (a finding).</param>
/// <param name="Seed">Writes the seed inputs into the directory it is given (which exists).</param>
/// <param name="Prepare">Work done once per process before the fuzz loop starts (a model template to load from), so the
/// first input does not pay for it inside the fuzzer's time limit; null when there is none.</param>
internal sealed record FuzzTarget(string Name, Action<byte[]> Run, Action<string> Seed, Action? Prepare = null);
