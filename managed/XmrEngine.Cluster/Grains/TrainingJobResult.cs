using XmrEngine.Sparse;

namespace XmrEngine.Cluster.Grains;

/// <summary>The weights a job trained: per level from the split level down, only the columns of its nodes.</summary>
[GenerateSerializer, Alias("xmr.TrainingJobResult")]
public sealed class TrainingJobResult
{
    /// <summary>Per level, the node ids whose columns follow, ascending.</summary>
    [Id(0)] public int[][] Nodes { get; set; } = [];
    /// <summary>Per level, column pointers of those columns (nodes + 1 entries).</summary>
    [Id(1)] public long[][] Pointers { get; set; } = [];
    /// <summary>Per level, row ids (features, then the bias row).</summary>
    [Id(2)] public int[][] Rows { get; set; } = [];
    /// <summary>Per level, weights aligned with <see cref="Rows"/>.</summary>
    [Id(3)] public float[][] Values { get; set; } = [];

    /// <summary>The non-empty columns of each level's weights.</summary>
    internal static TrainingJobResult From(IReadOnlyList<CscMatrix> levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var result = new TrainingJobResult
        {
            Nodes = new int[levels.Count][], Pointers = new long[levels.Count][], Rows = new int[levels.Count][], Values = new float[levels.Count][],
        };
        for (int i = 0; i < levels.Count; i++)
        {
            var w = levels[i];
            var nodes = Enumerable.Range(0, w.Cols).Where(j => w.ColumnLength(j) > 0).ToArray();
            var ptr = new long[nodes.Length + 1];
            for (int k = 0; k < nodes.Length; k++) ptr[k + 1] = ptr[k] + w.ColumnLength(nodes[k]);
            var rows = new int[ptr[^1]];
            var values = new float[ptr[^1]];
            for (int k = 0; k < nodes.Length; k++)
            {
                var column = w.Column(nodes[k]);
                column.Indices.CopyTo(rows.AsSpan((int)ptr[k]));
                column.Values.CopyTo(values.AsSpan((int)ptr[k]));
            }
            (result.Nodes[i], result.Pointers[i], result.Rows[i], result.Values[i]) = (nodes, ptr, rows, values);
        }
        return result;
    }

    /// <summary>Level i back as a (D+1) x <paramref name="nodeCount"/> matrix, empty where the job trained nothing.</summary>
    /// <exception cref="ArgumentException">The arrays are inconsistent (validated by the matrix constructor; names the problem).</exception>
    internal CscMatrix Level(int i, int featureCount, int nodeCount)
    {
        var nodes = Nodes[i];
        var ptr = new long[nodeCount + 1];
        int k = 0;
        for (int j = 0; j < nodeCount; j++)
        {
            long length = 0;
            if (k < nodes.Length && nodes[k] == j)
            {
                length = Pointers[i][k + 1] - Pointers[i][k];
                k++;
            }
            ptr[j + 1] = ptr[j] + length;
        }
        if (k != nodes.Length) throw new ArgumentException($"level {i}: node ids are not ascending below {nodeCount}.");
        return new CscMatrix(featureCount + 1, nodeCount, ptr, Rows[i], Values[i]);
    }
}
