namespace XmrEngine.Text;

/// <summary>Which words the word analyzer drops before forming n-grams.</summary>
public enum StopWordList
{
    /// <summary>No word is dropped.</summary>
    None,

    /// <summary>
    /// A short list of English function words (<see cref="EnglishStopWords"/>). Dropped words do not take part in
    /// n-grams: "drill with the bit" gives the bigram "drill bit".
    /// </summary>
    English,
}
