namespace GenSR.Core;

/// <summary>
/// The SplitMix64 generator (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014):
/// tiny, fast and fully specified, so seeded draws are identical on every runtime version.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>A generator for one (seed, stream) pair; different streams give independent-looking sequences.</summary>
    public static SplitMix64 ForStream(long seed, long stream)
    {
        var mixer = new SplitMix64(unchecked((ulong)seed));
        var a = mixer.NextUInt64();
        return new SplitMix64(a ^ Mix(unchecked((ulong)stream * 0xD1B54A32D192ED03UL + 0x9E3779B97F4A7C15UL)));
    }

    public ulong NextUInt64()
    {
        _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        return Mix(_state);
    }

    /// <summary>A uniform integer in [0, <paramref name="exclusiveMax"/>) by multiply-shift (bias below 2^-32 for any int bound).</summary>
    public int NextInt(int exclusiveMax) => (int)Math.BigMul(NextUInt64(), (ulong)exclusiveMax, out _);

    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
