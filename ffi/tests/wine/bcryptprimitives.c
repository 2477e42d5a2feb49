/* A stand-in for Windows' bcryptprimitives.dll, for ffi/tests/wine.rs only: Wine 8 (Debian
 * 12) has no bcryptprimitives.dll, which Rust's standard library imports for ProcessPrng
 * (its random source on Windows 10 and later). This DLL, put beside the test program,
 * answers ProcessPrng with RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * Wine 9 and Windows ship the real DLL; products never ship this file. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
