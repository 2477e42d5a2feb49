using System.Reflection;
using System.Runtime.CompilerServices;

[assembly: AssemblyTitle("LicenseKit")]
[assembly: AssemblyDescription("Offline license codes: the license-ffi C library over P/Invoke")]
[assembly: InternalsVisibleTo("LicenseKit.Tests")]
