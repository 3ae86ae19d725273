using System.CommandLine;
using XmrEngine.Apps.ProductRetrieval;

namespace XmrEngine.Cli.Commands.Text2Text;

/// <summary><c>xmr text2text prepare-aol</c>: AOL users directory to a query -> clicked-site split (items.txt, train.txt, test.txt).</summary>
internal static class Text2TextPrepareAolCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "AOL users directory: one file per user, records 'query<TAB>YYYY-MM-DD HH:MM:SS', clicked URL lines, a blank line.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output directory for items.txt (one site per line), train.txt and test.txt.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the train/test user split.", DefaultValueFactory = _ => 0 };
        var testUsers = new Option<double>("--test-users") { Description = "Share of users whose queries go to test.txt.", DefaultValueFactory = _ => 0.2 };
        var command = new Command("prepare-aol", "Convert AOL search sessions into a text2text query -> clicked-site split, split by user.") { input, output, seed, testUsers };
        command.SetAction(result =>
        {
            double share = result.GetValue(testUsers);
            if (!(share > 0 && share < 1)) throw new ArgumentException($"--test-users must lie in (0, 1); got {share}.");
            string inPath = result.GetRequiredValue(input), outDir = result.GetRequiredValue(output);
            Text2TextPrepareOutputs.Check(outDir, inPath);
            var split = AolClickConverter.Convert(inPath, outDir, result.GetValue(seed), share);
            CliConsole.OutWriter.WriteLine($"{split.Users:N0} users ({split.TestUsers:N0} test), {split.Records:N0} records, {split.ClickedRecords:N0} with a click, " +
                                    $"{split.Items:N0} sites; {split.TrainQueries:N0} train / {split.TestQueries:N0} test queries " +
                                    $"({split.TestQueriesSeenInTraining:N0} test queries also typed by training users); " +
                                    $"{split.TestItemsUnseenInTraining:N0} of {split.TestItemsTotal:N0} test sites never clicked in training");
            return 0;
        });
        return command;
    }
}
