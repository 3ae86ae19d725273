using XmrEngine.Sparse;
using XmrEngine.Text;

namespace XmrEngine.Apps.ProductRetrieval;

/// <summary>
/// Re-weights the item text rows that query rows are compared with. A query row and an item row from the same
/// TF-IDF vectorizer both carry idf, so their dot product weighs a shared term by idf squared, and a rare term
/// (a typo, a model number) can outweigh everything else. Dividing the item side by idf and scaling the row back
/// to unit L2 norm leaves the product counting idf once, as BM25 does, and keeps it in [0, 1] for an
/// L2-normalised query. Bases without idf are left as they are. (Keeping each base's share of the norm instead
/// was measured too, and ranked slightly worse on Home Depot.)
/// </summary>
internal static class ItemRowWeighting
{
    /// <summary>Rows with idf divided out and L2-normalised again (see the class remarks); empty rows stay empty.</summary>
    public static CsrMatrix IdfOnce(CsrMatrix rows, CombinedTfidfVectorizer vectorizer)
    {
        var idf = new float[vectorizer.FeatureCount];
        for (int b = 0; b < vectorizer.Bases.Count; b++)
        {
            var source = vectorizer.Bases[b];
            var target = idf.AsSpan(vectorizer.FeatureOffset(b), source.FeatureCount);
            if (source.Options.UseIdf) source.Idf.CopyTo(target);
            else target.Fill(1f);
        }
        var rowPtr = rows.Pointers.ToArray();
        var cols = rows.Indices.ToArray();
        var values = rows.Values.ToArray();
        for (int r = 0; r < rows.Rows; r++)
        {
            int start = (int)rowPtr[r], end = (int)rowPtr[r + 1];
            double norm = 0;
            for (int k = start; k < end; k++)
            {
                // A stored weight has a positive idf (a zero idf zeroes the weight, which is then not stored).
                float f = idf[cols[k]];
                if (f > 0) values[k] /= f;
                norm += (double)values[k] * values[k];
            }
            if (norm == 0) continue;
            float scale = (float)(1 / Math.Sqrt(norm));
            for (int k = start; k < end; k++) values[k] *= scale;
        }
        return new CsrMatrix(rows.Rows, rows.Cols, rowPtr, cols, values);
    }
}
