namespace XmrEngine.Hosting.Blocking;

/// <summary>
/// Drops blocked answers before the list is cut to the size asked for, so the caller still gets that many where the
/// model has them: the model is asked for more when the first answers held blocked ones.
/// </summary>
internal static class BlockedAnswers
{
    /// <summary>
    /// The first <paramref name="count"/> answers of <paramref name="ask"/> that <paramref name="blocklist"/> lets through,
    /// in the model's order.
    /// </summary>
    /// <param name="count">How many answers the request asked for.</param>
    /// <param name="most">The most the model can give (its label count): asking for more finds nothing new.</param>
    /// <param name="ask">The model's best answers for a size, best first.</param>
    /// <param name="text">An answer's text, which the blocklist judges.</param>
    /// <param name="blocklist">The list in force.</param>
    public static T[] Top<T>(int count, int most, Func<int, T[]> ask, Func<T, string> text, Blocklist blocklist)
    {
        if (blocklist.Count == 0) return ask(count);
        // A model without labels has nothing to give (and may refuse a size of 0).
        if (count <= 0 || most <= 0) return [];
        int size = Math.Min(count, most);
        while (true)
        {
            var answers = ask(size);
            var kept = new List<T>(Math.Min(count, answers.Length));
            foreach (var a in answers)
            {
                if (blocklist.Blocks(text(a))) continue;
                kept.Add(a);
                if (kept.Count == count) return [.. kept];
            }
            // Fewer answers than asked for: the model has no more to give; otherwise ask for as many again as were
            // blocked, at least doubling, so a long run of blocked answers takes few rounds.
            if (answers.Length < size || size >= most) return [.. kept];
            size = (int)Math.Min(most, Math.Max(2L * size, (long)size + (count - kept.Count)));
        }
    }
}
