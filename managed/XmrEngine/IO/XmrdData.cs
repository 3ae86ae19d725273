using XmrEngine.Sparse;

namespace XmrEngine.IO;

/// <summary>The content of an <c>.xmrd</c> file: a feature matrix and, when the file holds one, a label matrix with the same rows.</summary>
/// <param name="Features">Feature matrix X (raw values as written; nothing is normalised).</param>
/// <param name="Labels">Label matrix Y, or <c>null</c> when the file holds features only.</param>
public sealed record XmrdData(CsrMatrix Features, CsrMatrix? Labels);
