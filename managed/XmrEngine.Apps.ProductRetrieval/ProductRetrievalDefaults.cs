using XmrEngine.Text;
using XmrEngine.Training;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// The measured best product-retrieval settings (perf/RESULTS.md, "text2text defaults"): the defaults of
/// <c>xmr text2text train</c>. They beat PECOS text2text's defaults and Lucene BM25 on Home Depot (query -> product)
/// and on AOL clicks (query -> site). <c>new ProductRetrievalOptions()</c> keeps PECOS's plain XR-Linear setup,
/// so code and saved models that relied on it are unchanged.
/// </summary>
public static class ProductRetrievalDefaults
{
    /// <summary>Cost on positives: item texts as extra queries make positives rare per leaf, so they weigh more.</summary>
    public const double Cp = 4;

    /// <summary>Weight threshold: 0.1 (PECOS's) drops most of the small weights items learned from their own text.</summary>
    public const float Threshold = 0.01f;

    /// <summary>
    /// Weight of the query-item text cosine in the blended ranking. Rich item texts (product titles) want more
    /// (0.9 was best on Home Depot), terse ones (site names) less (0.3 on AOL clicks); 0.7 is within half a point
    /// of R@10 of Home Depot's best and well ahead of 0.9 on AOL. The recommended options choose the weight on the
    /// user's held-out training queries and use this one only where they cannot tell the weights apart.
    /// </summary>
    public const float TextWeight = 0.7f;

    /// <summary>Title-index candidates joining the beam's.</summary>
    public const int TitleCandidates = 100;

    /// <summary>
    /// The recommended featurisation: word unigrams, word bigrams and character 3-grams inside words, each its own
    /// L2-normalised base (so words weigh twice the characters), sublinear tf, PECOS's idf; with
    /// <see cref="TextLanguage.English"/> the word bases are Porter-stemmed and drop English stop words.
    /// </summary>
    public static CombinedTfidfOptions Vectorizer(TextLanguage language = TextLanguage.None)
    {
        bool english = language == TextLanguage.English;
        TfidfOptions Words(int n) => new()
        {
            Analyzer = TextAnalyzer.Word, MinNgram = n, MaxNgram = n, SublinearTf = true, IdfFormula = IdfFormula.Pecos,
            Stemmer = english ? WordStemmer.Porter : WordStemmer.None,
            StopWords = english ? StopWordList.English : StopWordList.None,
        };
        return new CombinedTfidfOptions
        {
            Bases =
            [
                Words(1),
                Words(2),
                new TfidfOptions { Analyzer = TextAnalyzer.CharWordBounded, MinNgram = 3, MaxNgram = 3, SublinearTf = true, IdfFormula = IdfFormula.Pecos },
            ],
            Norm = TfidfNorm.L2,
        };
    }

    /// <summary>
    /// The recommended options: <see cref="Vectorizer"/>, a pifa+text tree, item texts as extra queries,
    /// <see cref="Cp"/> and <see cref="Threshold"/>, and ranking by <see cref="TextWeight"/> with
    /// <see cref="TitleCandidates"/> title-index candidates, idf counted once, the weight chosen on held-out training
    /// queries (<see cref="ProductRetrievalOptions.ChooseTextWeight"/>, starting from <see cref="TextWeight"/>). Other training options keep
    /// PECOS's defaults.
    /// </summary>
    public static ProductRetrievalOptions Options(TextLanguage language = TextLanguage.None) => new()
    {
        Vectorizer = Vectorizer(language),
        ItemEmbedding = ItemEmbedding.PifaText,
        ItemTextsAsQueries = true,
        Training = new XLinearTrainOptions { Cp = Cp, Threshold = Threshold },
        TextWeight = TextWeight,
        ChooseTextWeight = true,
        TitleCandidates = TitleCandidates,
        TitleIdfOnce = true,
    };
}
