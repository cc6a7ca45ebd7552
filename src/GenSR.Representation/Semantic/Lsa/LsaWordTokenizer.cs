namespace GenSR.Representation;

/// <summary>
/// The word tokenizer of <see cref="LsaTextEncoder"/>: lower-cases, splits on every character that is not a letter or
/// a digit, drops words shorter than a minimum length and stop words. Words are produced as spans over a reused
/// buffer, so looking known words up allocates nothing.
/// </summary>
internal sealed class LsaWordTokenizer
{
    private readonly Dictionary<string, bool> _stopWords;
    private readonly StringSpanLookup<bool> _stopWordLookup;

    public LsaWordTokenizer(IEnumerable<string> stopWords, int minTokenLength)
    {
        _stopWords = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var word in stopWords) _stopWords[word.ToLowerInvariant()] = true;
        _stopWordLookup = new StringSpanLookup<bool>(_stopWords);
        MinTokenLength = minTokenLength;
    }

    public int MinTokenLength { get; }

    public IReadOnlyCollection<string> StopWords => _stopWords.Keys;

    /// <summary>Enumerates the words of <paramref name="text"/>; each <see cref="WordEnumerator.Current"/> is valid until the next move.</summary>
    public WordEnumerator Words(string text) => new(this, text);

    /// <summary>Splits <paramref name="text"/> into words (allocating strings; for tests and diagnostics).</summary>
    public List<string> Split(string text)
    {
        var result = new List<string>();
        var words = Words(text);
        while (words.MoveNext()) result.Add(words.Current.ToString());
        return result;
    }

    private bool IsStopWord(ReadOnlySpan<char> word) => _stopWordLookup.TryGetValue(word, out _);

    /// <summary>Enumerator over the words of one text.</summary>
    public ref struct WordEnumerator
    {
        private readonly LsaWordTokenizer _owner;
        private readonly string _text;
        private char[] _buffer;
        private int _position;
        private int _length;

        internal WordEnumerator(LsaWordTokenizer owner, string text)
        {
            _owner = owner;
            _text = text;
            _buffer = new char[32];
            _position = 0;
            _length = 0;
        }

        /// <summary>The current word, lower-case.</summary>
        public readonly ReadOnlySpan<char> Current => _buffer.AsSpan(0, _length);

        /// <summary>Advances to the next kept word.</summary>
        public bool MoveNext()
        {
            var text = _text;
            while (_position < text.Length)
            {
                while (_position < text.Length && !char.IsLetterOrDigit(text[_position])) _position++;
                var start = _position;
                while (_position < text.Length && char.IsLetterOrDigit(text[_position])) _position++;
                var length = _position - start;
                if (length == 0 || length < _owner.MinTokenLength) continue;
                if (_buffer.Length < length) _buffer = new char[Math.Max(length, _buffer.Length * 2)];
                for (var i = 0; i < length; i++) _buffer[i] = char.ToLowerInvariant(text[start + i]);
                _length = length;
                if (_owner.IsStopWord(Current)) continue;
                return true;
            }
            _length = 0;
            return false;
        }
    }
}
