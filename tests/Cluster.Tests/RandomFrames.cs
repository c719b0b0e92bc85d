using System.Text;

namespace Cluster.Tests;

/// <summary>
/// Random WebSocket traffic from a seeded generator: any opcode (reserved ones too), reserved bits, missing masks,
/// fragments, control frames over 125 bytes, messages near and over the size limit, invalid UTF-8 and JSON
/// that is broken, deep, wrongly typed or valid. The same seed always gives the same plans.
/// </summary>
internal sealed class RandomFrames(int seed)
{
    private static readonly string[] JsonMessages =
    [
        """{"type":"echo","data":"hi"}""",
        "{\"type\":\"echo\",\"data\":\"" + new string('x', 300) + "\"}",
        """{"type":"echo"}""",
        """{"type":"echo","data":5}""",
        """{"type":"task.start","kind":"sleep","seconds":0.05}""",
        """{"type":"task.start","kind":"sleep","seconds":-1}""",
        """{"type":"task.start","kind":"cpu","work":10}""",
        """{"type":"task.start","kind":"nope"}""",
        """{"type":"task.cancel","id":"t_nothere"}""",
        """{"type":"auth","token":"x"}""",
        """{"type":7}""",
        """{"type":"echo","data":"hi","ref":{"deep":[1,2,3]}}""",
        """{"type":"echo","data":"hi","extra":true}""",
        """{"type":"echo","data":"hi""",
        """[]""",
        """null""",
        "\"just a string\"",
        """{"type":"echo","type":"task.start"}""",
        new string('[', 2000) + new string(']', 2000),
        """{"type":"\ud800"}""",
    ];

    private static readonly int[] BoundaryLengths = [125, 126, 127, 65535, 65536, 65537];

    private readonly Random _random = new(seed);

    public ConnectionPlan NextPlan(int index)
    {
        var frames = Enumerable.Range(0, _random.Next(1, 21)).Select(_ => NextFrame()).ToList();
        var ending = (Ending)_random.Next(3);
        return new ConnectionPlan(index, _random.Next(2) == 0, frames, ending);
    }

    private Frame NextFrame()
    {
        var roll = _random.Next(100);
        var opcode = roll switch
        {
            < 45 => 1,
            < 55 => 2,
            < 70 => 0,
            < 80 => 9,
            < 85 => 10,
            < 90 => 8,
            _ => _random.Next(2) == 0 ? _random.Next(3, 8) : _random.Next(11, 16),
        };
        return new Frame(
            opcode,
            NextPayload(),
            Fin: _random.Next(100) < 80,
            ReservedBits: _random.Next(100) < 4 ? _random.Next(1, 8) : 0,
            Masked: _random.Next(100) < 97);
    }

    private byte[] NextPayload()
    {
        var roll = _random.Next(100);
        return roll switch
        {
            < 30 => Encoding.UTF8.GetBytes(JsonMessages[_random.Next(JsonMessages.Length)]),
            < 50 => Encoding.UTF8.GetBytes(Text(Length())),
            < 65 => InvalidUtf8(Length()),
            < 90 => Bytes(Length()),
            _ => Bytes(BoundaryLengths[_random.Next(BoundaryLengths.Length)]),
        };
    }

    private int Length()
    {
        var roll = _random.Next(100);
        return roll switch
        {
            < 60 => _random.Next(0, 65),
            < 90 => _random.Next(65, 2000),
            _ => _random.Next(2000, 70_000),
        };
    }

    private string Text(int length) => string.Create(length, _random, (span, random) =>
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzé€😀 {}[]\":,\\";
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[random.Next(Alphabet.Length)];
            if (char.IsSurrogate(span[i]))
            {
                span[i] = 'x';
            }
        }
    });

    private byte[] InvalidUtf8(int length)
    {
        var bytes = Encoding.UTF8.GetBytes(Text(Math.Max(length, 1)));
        byte[][] broken = [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]];
        var bad = broken[_random.Next(broken.Length)];
        var at = _random.Next(bytes.Length);
        return [.. bytes.AsSpan(0, at), .. bad, .. bytes.AsSpan(at)];
    }

    private byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    public enum Ending
    {
        CloseFrame,
        Reset,
        HalfClose,
    }

    public sealed record Frame(int Opcode, byte[] Payload, bool Fin, int ReservedBits, bool Masked);

    /// <summary>One connection's frames, on the echo path or the session (JSON) path, and how it ends.</summary>
    public sealed record ConnectionPlan(int Index, bool SessionProtocol, List<Frame> Frames, Ending Ending);
}
