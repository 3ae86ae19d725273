using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>
/// What one data file holds: a feature matrix and, when the format carries one, a label matrix with the
/// same rows (text files and .xmrd files written with labels do; an .npz holds a single matrix).
/// </summary>
/// <param name="Features">Feature matrix X (raw values as stored; nothing is normalised).</param>
/// <param name="Labels">Label matrix Y, or <c>null</c> when the file holds no labels.</param>
public sealed record SparseFileContent(CsrMatrix Features, CsrMatrix? Labels);
