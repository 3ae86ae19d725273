using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace XmrEngine.Hosting;

/// <summary>
/// The engine's metrics, on the meter <see cref="MeterName"/>: request latency, requests and errors per
/// endpoint and model, reloads per model and outcome, and the serving version of every model.
/// </summary>
public sealed class XmrEngineMetrics
{
    /// <summary>The meter's name, to add to an OpenTelemetry meter provider.</summary>
    public const string MeterName = "XmrEngine.Hosting";

    private readonly Histogram<double> _latency;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _reloads;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public XmrEngineMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _latency = meter.CreateHistogram<double>("xmr.request.duration", "s", "Time to answer a request, by endpoint and model.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
        _requests = meter.CreateCounter<long>("xmr.requests", "{request}", "Requests answered, by endpoint, model and status code.");
        _errors = meter.CreateCounter<long>("xmr.request.errors", "{request}", "Requests answered with a 4xx or 5xx status, by endpoint, model and status code.");
        _reloads = meter.CreateCounter<long>("xmr.model.reloads", "{reload}", "Model loads, by model and outcome (swapped, unchanged, failed).");
        meter.CreateObservableGauge("xmr.model.info", () => Versions(), "{model}",
            "1 for each model's serving version (labels: model, kind, version).");
        meter.CreateObservableGauge("xmr.model.labels", () => Labels(), "{label}", "Labels of each model's serving version.");
    }

    /// <summary>The registry whose models the gauges observe; set once by the registry.</summary>
    internal ModelRegistry? Registry { get; set; }

    internal void RecordRequest(string endpoint, string model, int status, double seconds)
    {
        var tags = new TagList { { "endpoint", endpoint }, { "model", model }, { "status", status } };
        _latency.Record(seconds, tags);
        _requests.Add(1, tags);
        if (status >= 400) _errors.Add(1, tags);
    }

    internal void RecordReload(string model, ReloadOutcome outcome) =>
        _reloads.Add(1, new TagList { { "model", model }, { "outcome", outcome.ToString().ToLowerInvariant() } });

    private IEnumerable<Measurement<int>> Versions()
    {
        foreach (var s in Registry?.Describe() ?? [])
            if (s.Loaded)
                yield return new Measurement<int>(1, new TagList { { "model", s.Name }, { "kind", s.Kind }, { "version", s.Version } });
    }

    private IEnumerable<Measurement<int>> Labels()
    {
        foreach (var s in Registry?.Describe() ?? [])
            if (s.Loaded) yield return new Measurement<int>(s.LabelCount, new TagList { { "model", s.Name } });
    }
}
