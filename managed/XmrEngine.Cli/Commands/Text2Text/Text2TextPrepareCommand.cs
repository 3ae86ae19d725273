using System.CommandLine;
using XmrEngine.Apps.ProductRetrieval;

namespace XmrEngine.Cli.Commands.Text2Text;

/// <summary><c>xmr text2text prepare-homedepot</c>: Home Depot relevance CSV to items.txt, train.txt, test.txt.</summary>
internal static class Text2TextPrepareCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Home Depot train.csv (id,product_uid,product_title,search_term,relevance).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output directory for items.txt, train.txt and test.txt.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the train/test query split.", DefaultValueFactory = _ => 0 };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share of distinct queries put in test.txt.", DefaultValueFactory = _ => 0.2 };
        var minRelevance = new Option<double>("--min-relevance") { Description = "Keep query-product pairs with relevance at least this.", DefaultValueFactory = _ => 2.5 };
        var command = new Command("prepare-homedepot", "Convert the Home Depot search relevance CSV into a text2text train/test split.") { input, output, seed, testFraction, minRelevance };
        command.SetAction(result =>
        {
            double fraction = result.GetValue(testFraction);
            if (!(fraction > 0 && fraction < 1)) throw new ArgumentException($"--test-fraction must lie in (0, 1); got {fraction}.");
            string inPath = result.GetRequiredValue(input), outDir = result.GetRequiredValue(output);
            Text2TextPrepareOutputs.Check(outDir, inPath);
            var split = HomeDepotConverter.Convert(inPath, outDir, result.GetValue(seed),
                fraction, result.GetValue(minRelevance));
            CliConsole.OutWriter.WriteLine($"{split.Rows:N0} rows, {split.KeptPairs:N0} kept pairs, {split.Items:N0} items; " +
                                    $"{split.TrainQueries:N0} train / {split.TestQueries:N0} test queries; " +
                                    $"{split.TestItemsUnseenInTraining:N0} of {split.TestItemsTotal:N0} test items never appear in training");
            return 0;
        });
        return command;
    }
}
