using System.CommandLine;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using XmrEngine.Apps.ProductRetrieval;
using XmrEngine.Inference;

namespace XmrEngine.Cli.Commands.Text2Text;

/// <summary>
/// <c>xmr text2text predict</c>: one JSON line per query line, <c>{"query": ..., "results": [{"id", "text", "score"}, ...]}</c>,
/// best first. Every input line gets an answer (a blank line included, so output line i answers input line i).
/// From a file, lines are answered in parallel blocks; from standard input (<c>-i -</c>) each line is answered
/// and flushed as soon as it arrives.
/// </summary>
internal static class Text2TextPredictCommand
{
    private const int BlockSize = 512;

    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Queries, one per line; '-' reads standard input and answers each line as it comes.", Required = true };
        var model = new Option<string>("--model", "-m") { Description = "Model directory from `xmr text2text train`.", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output JSON lines file; '-' writes to standard output.", Required = true };
        var topK = new Option<int?>("--top-k") { Description = "Items per query (default: the model's, 10)." };
        var textWeight = new Option<float?>("--text-weight") { Description = "Weight in [0, 1] of the query-item text cosine (default: the model's)." };
        var titles = new Option<int?>("--title-candidates") { Description = "Extra candidates from the title index, 0 = none (default: the model's)." };
        var beam = new Option<int?>("--beam-size") { Description = "Beam size (default: the model's, 10)." };
        var command = new Command("predict", "Retrieve the top-k items for each query line, as JSON lines.") { input, model, output, topK, beam, textWeight, titles };
        command.SetAction(result =>
        {
            OutputPaths.CheckFile(("-o", result.GetRequiredValue(output)), ("-i", result.GetValue(input)), ("-m", result.GetValue(model)));
            var sw = Stopwatch.StartNew();
            var m = ProductRetrievalModel.Load(result.GetRequiredValue(model));
            var options = CommonOptions.CapAtLabels(CommonOptions.WithOverrides(m.Info.Prediction, result.GetValue(beam), result.GetValue(topK), null), m.ItemCount, m.Predictor.WidestLevel);
            float weight = result.GetValue(textWeight) ?? m.Info.TextWeight;
            if (!(weight >= 0 && weight <= 1)) throw new ArgumentException($"--text-weight must lie in [0, 1]; got {weight}.");
            int titleCount = result.GetValue(titles) ?? m.Info.TitleCandidates;
            if (titleCount < 0) throw new ArgumentException($"--title-candidates must be 0 or positive; got {titleCount}.");
            string inputPath = result.GetRequiredValue(input), outputPath = result.GetRequiredValue(output);
            bool streaming = inputPath == "-";
            var lines = streaming ? Text2TextFormat.ReadLines(Console.OpenStandardInput()) : Text2TextFormat.ReadLines(inputPath);
            double loadMs = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            using var stream = outputPath == "-" ? Console.OpenStandardOutput() : new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
            long count = 0;
            foreach (var block in lines.Chunk(streaming ? 1 : BlockSize))
            {
                var answers = new ProductMatch[block.Length][];
                if (block.Length == 1) answers[0] = m.Predict(block[0], options, weight, titleCount);
                else Parallel.For(0, block.Length, i => answers[i] = m.Predict(block[i], options, weight, titleCount));
                for (int i = 0; i < block.Length; i++) WriteAnswer(json, stream, block[i], answers[i]);
                if (streaming) stream.Flush();
                count += block.Length;
            }
            double predictMs = sw.Elapsed.TotalMilliseconds;
            // From standard input the elapsed time is mostly waiting for the next line, so no per-query time.
            string timing = streaming ? $"{predictMs / 1000:F1} s until the input ended"
                : $"predict {predictMs:F0} ms ({predictMs * 1000 / Math.Max(1, count):F1} us/query)";
            (outputPath == "-" ? CliConsole.ErrWriter : CliConsole.OutWriter).WriteLine(
                $"answered {count:N0} {(count == 1 ? "query" : "queries")} (beam {options.BeamSize}, top {options.TopK}); load {loadMs:F0} ms, {timing}");
            return 0;
        });
        return command;
    }

    private static void WriteAnswer(Utf8JsonWriter json, Stream stream, string query, ProductMatch[] matches)
    {
        json.WriteStartObject();
        json.WriteString("query", query);
        json.WriteStartArray("results");
        foreach (var match in matches)
        {
            json.WriteStartObject();
            json.WriteNumber("id", match.Id);
            json.WriteString("text", match.Text);
            json.WriteNumber("score", match.Score);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        json.Reset();
        stream.WriteByte((byte)'\n');
    }
}
