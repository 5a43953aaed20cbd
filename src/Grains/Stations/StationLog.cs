using Microsoft.Extensions.Logging;

namespace Csms.Grains.Stations;

internal static partial class StationLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Station {Station} transaction {TransactionId} has {Missing} missing seqNo(s)")]
    public static partial void LogSeqNoGap(this ILogger logger, string station, string transactionId, long missing);
}
