namespace XmrEngine.Text;

/// <summary>How the word analyzer reduces each word before forming n-grams.</summary>
public enum WordStemmer
{
    /// <summary>Words are kept as they are.</summary>
    None,

    /// <summary>
    /// Porter's English stemmer (<see cref="PorterStemmer"/>): "ponies" and "pony" both become "poni", "drills",
    /// "drilled" and "drilling" become "drill". Only lower-case a-z words are changed, so it needs lower-casing on
    /// to see capitalised words.
    /// </summary>
    Porter,
}
