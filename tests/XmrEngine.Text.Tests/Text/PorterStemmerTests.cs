using XmrEngine.Text;

namespace XmrEngine.Tests.Text;

/// <summary>
/// Porter's stemmer on the examples of his 1980 paper, each followed by hand through all the steps (so a word
/// the paper shows only after one step appears here with its final stem), plus the words it must leave alone.
/// </summary>
public class PorterStemmerTests
{
    [TestCase("caresses", "caress")]
    [TestCase("ponies", "poni")]
    [TestCase("ties", "ti")]
    [TestCase("caress", "caress")]
    [TestCase("cats", "cat")]
    [TestCase("feed", "feed")]
    [TestCase("agreed", "agre")]
    [TestCase("plastered", "plaster")]
    [TestCase("bled", "bled")]
    [TestCase("motoring", "motor")]
    [TestCase("sing", "sing")]
    [TestCase("conflated", "conflat")]
    [TestCase("troubled", "troubl")]
    [TestCase("sized", "size")]
    [TestCase("hopping", "hop")]
    [TestCase("tanned", "tan")]
    [TestCase("falling", "fall")]
    [TestCase("hissing", "hiss")]
    [TestCase("fizzed", "fizz")]
    [TestCase("failing", "fail")]
    [TestCase("filing", "file")]
    [TestCase("happy", "happi")]
    [TestCase("sky", "sky")]
    public void Step1Examples(string word, string stem) => Assert.That(PorterStemmer.Stem(word), Is.EqualTo(stem));

    [TestCase("relational", "relat")]
    [TestCase("conditional", "condit")]
    [TestCase("rational", "ration")] // ATIONAL is the longest match but m("r") = 0, so TIONAL is not tried
    [TestCase("valenci", "valenc")]
    [TestCase("hesitanci", "hesit")]
    [TestCase("digitizer", "digit")]
    [TestCase("conformabli", "conform")]
    [TestCase("radicalli", "radic")]
    [TestCase("differentli", "differ")]
    [TestCase("vileli", "vile")]
    [TestCase("analogousli", "analog")]
    [TestCase("vietnamization", "vietnam")]
    [TestCase("predication", "predic")]
    [TestCase("operator", "oper")]
    [TestCase("feudalism", "feudal")]
    [TestCase("decisiveness", "decis")]
    [TestCase("hopefulness", "hope")]
    [TestCase("callousness", "callous")]
    [TestCase("formaliti", "formal")]
    [TestCase("sensitiviti", "sensit")]
    [TestCase("sensibiliti", "sensibl")]
    public void Step2Examples(string word, string stem) => Assert.That(PorterStemmer.Stem(word), Is.EqualTo(stem));

    [TestCase("triplicate", "triplic")]
    [TestCase("formative", "form")]
    [TestCase("formalize", "formal")]
    [TestCase("electriciti", "electr")]
    [TestCase("electrical", "electr")]
    [TestCase("hopeful", "hope")]
    [TestCase("goodness", "good")]
    public void Step3Examples(string word, string stem) => Assert.That(PorterStemmer.Stem(word), Is.EqualTo(stem));

    [TestCase("revival", "reviv")]
    [TestCase("allowance", "allow")]
    [TestCase("inference", "infer")]
    [TestCase("airliner", "airlin")]
    [TestCase("gyroscopic", "gyroscop")]
    [TestCase("adjustable", "adjust")]
    [TestCase("defensible", "defens")]
    [TestCase("irritant", "irrit")]
    [TestCase("replacement", "replac")] // EMENT, not MENT or ENT
    [TestCase("cement", "cement")] // EMENT matches but m("c") = 0; the shorter suffixes are not tried
    [TestCase("adjustment", "adjust")]
    [TestCase("dependent", "depend")]
    [TestCase("adoption", "adopt")]
    [TestCase("communion", "communion")] // ION needs the stem to end in s or t
    [TestCase("homologou", "homolog")]
    [TestCase("communism", "commun")]
    [TestCase("activate", "activ")]
    [TestCase("angulariti", "angular")]
    [TestCase("homologous", "homolog")]
    [TestCase("effective", "effect")]
    [TestCase("bowdlerize", "bowdler")]
    public void Step4Examples(string word, string stem) => Assert.That(PorterStemmer.Stem(word), Is.EqualTo(stem));

    [TestCase("probate", "probat")]
    [TestCase("rate", "rate")]
    [TestCase("cease", "ceas")]
    [TestCase("controll", "control")]
    [TestCase("roll", "roll")]
    [TestCase("generalizations", "gener")]
    [TestCase("oscillators", "oscil")]
    public void Step5AndWholeWordExamples(string word, string stem) => Assert.That(PorterStemmer.Stem(word), Is.EqualTo(stem));

    [TestCase("toy", "toi")] // y after a vowel is a consonant, so "to" has a vowel and y becomes i
    [TestCase("syzygy", "syzygi")]
    [TestCase("yyyy", "yyyi")]
    [TestCase("skies", "ski")]
    [TestCase("drills", "drill")]
    [TestCase("drilling", "drill")]
    [TestCase("cordless", "cordless")]
    public void ConsonantYAndCommonWords(string word, string stem) => Assert.That(PorterStemmer.Stem(word), Is.EqualTo(stem));

    [TestCase("")]
    [TestCase("a")]
    [TestCase("is")]
    [TestCase("as")]
    [TestCase("2x4s")]
    [TestCase("100ft")]
    [TestCase("1990s")]
    [TestCase("cafés")]
    [TestCase("naïveness")]
    [TestCase("Drills")]
    [TestCase("東京")]
    [TestCase("rock'n'roll")]
    public void WordsThatAreNotStemmed(string word) => Assert.That(PorterStemmer.Stem(word), Is.SameAs(word));

    [Test]
    public void RandomWordsNeverGrowNeverEmptyAndSpanAgreesWithString()
    {
        var rng = new Random(7);
        const string letters = "aeiouybcdlmnrstyyyssiee";
        for (int n = 0; n < 20000; n++)
        {
            var chars = new char[rng.Next(0, 24)];
            for (int i = 0; i < chars.Length; i++) chars[i] = letters[rng.Next(letters.Length)];
            string word = new(chars);
            string stem = PorterStemmer.Stem(word);
            Assert.That(stem.Length, Is.LessThanOrEqualTo(word.Length), word);
            if (word.Length > 0) Assert.That(stem, Is.Not.Empty, word);
            int len = PorterStemmer.Stem(chars.AsSpan());
            Assert.That(new string(chars, 0, len), Is.EqualTo(stem), word);
        }
    }
}
