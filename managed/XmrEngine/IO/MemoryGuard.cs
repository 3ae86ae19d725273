namespace XmrEngine.IO;

/// <summary>
/// Refuses allocations that a file's header asks for but the machine cannot provide, so a small file that
/// claims billions of rows produces a clear <see cref="XmrDataException"/> instead of an OutOfMemoryException.
/// </summary>
internal static class MemoryGuard
{
    /// <summary>Throws when <paramref name="count"/> pointers (8 bytes each) exceed the array limit or the memory available.</summary>
    public static void EnsurePointers(long count, string path, string? member, string field)
    {
        long bytes = count * sizeof(long);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (count > Array.MaxLength || bytes > available)
            throw new XmrDataException(path, null, member, field,
                $"the matrix needs {count} pointers ({bytes >> 20} MiB), more than this process can allocate ({available >> 20} MiB available).");
    }
}
