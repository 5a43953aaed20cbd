namespace Csms.Grains.Hosting;

/// <summary>A setting is missing or wrong; the message names the setting and the fix. Hosts print it and exit non-zero.</summary>
public sealed class CsmsConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
