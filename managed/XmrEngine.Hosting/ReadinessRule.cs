namespace XmrEngine.Hosting;

/// <summary>When <c>/readyz</c> answers 200: what one model that has no loaded version does to the whole server.</summary>
public enum ReadinessRule
{
    /// <summary>Ready only when every configured model has a serving version (the default): a load balancer keeps traffic
    /// away from a server that cannot answer for one of its models.</summary>
    AllModels,

    /// <summary>Ready when at least one model has a serving version; the models without one are named in the answer
    /// ("Degraded", still 200) and answer 503 themselves. For a server whose models are independent.</summary>
    AnyModel,
}
