using Microsoft.Win32.SafeHandles;

namespace XmrEngine.IO;

/// <summary>Positional reads that fill a buffer, for the binary file readers (thread-safe, no shared file position).</summary>
internal static class PositionalRead
{
    /// <summary>Reads until <paramref name="buffer"/> is full or the file ends; returns the bytes read.</summary>
    public static int Fill(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
