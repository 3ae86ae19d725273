namespace XmrEngine.Cli.Commands.Text2Text;

/// <summary>The output checks every <c>text2text prepare-*</c> verb makes before reading its input.</summary>
internal static class Text2TextPrepareOutputs
{
    /// <summary>
    /// Fails when <paramref name="outputDirectory"/> is not writable or one of the files a converter writes into it
    /// (items.txt, train.txt, test.txt) is the input itself.
    /// </summary>
    public static void Check(string outputDirectory, string input)
    {
        OutputPaths.Check(("-o", outputDirectory), ("-i", input));
        foreach (var file in new[] { "items.txt", "train.txt", "test.txt" })
            OutputPaths.RefuseInputs(("-o", Path.Combine(outputDirectory, file)), ("-i", input));
    }
}
