// Gives FAISS the hardware POPCNT instruction (see CMakeLists.txt): libgcc's
// __popcountdi2 is what the Debian libfaiss.a calls for every 64-bit popcount. This file
// is compiled with -mpopcnt, so the builtin below is one instruction, not a recursive call.
extern "C" int __popcountdi2(unsigned long long x) { return __builtin_popcountll(x); }
