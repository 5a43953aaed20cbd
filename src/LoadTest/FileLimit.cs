using System.Runtime.InteropServices;

namespace Csms.LoadTest;

/// <summary>Each virtual station holds one socket: raise the soft open-file limit to what the run needs, up to the hard limit.</summary>
public static partial class FileLimit
{
    private const int RlimitNofile = 7;

    /// <summary>Returns null when the limit is enough (or was raised); otherwise what to tell the user.</summary>
    public static string? Ensure(int needed)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        if (GetRLimit(RlimitNofile, out var limit) != 0)
        {
            return "could not read the open-file limit (getrlimit); if connections fail, raise it with `ulimit -n`";
        }
        if (limit.Current >= (ulong)needed)
        {
            return null;
        }
        var wanted = new RLimit { Current = Math.Min((ulong)needed, limit.Maximum), Maximum = limit.Maximum };
        if (SetRLimit(RlimitNofile, ref wanted) != 0 || wanted.Current < (ulong)needed)
        {
            return $"the open-file limit is {limit.Current} (hard {limit.Maximum}) but {needed} are needed: raise it with `ulimit -n {needed}` " +
                "(as root, or in /etc/security/limits.conf)";
        }
        return null;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, ref RLimit limit);
}
