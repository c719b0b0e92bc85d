using Grains.Abstractions;

namespace Grains;

/// <summary>
/// The sockets front ends hold on one session, each alive while its front end renews its lease, and since when the
/// session has had none (where every <c>cancelAfterSeconds</c> allowance starts).
/// </summary>
internal sealed class ConnectionTable(TimeProvider clock, TimeSpan lease)
{
    private readonly Dictionary<string, ConnectedSocket> _sockets = new(StringComparer.Ordinal);

    public int Count => _sockets.Count;

    public TimeSpan Lease => lease;

    /// <summary>The sockets, for sending; a dictionary's own collection, so a send allocates no enumerator.</summary>
    public Dictionary<string, ConnectedSocket>.ValueCollection Sockets => _sockets.Values;

    public DateTimeOffset NoSocketSince { get; private set; } = clock.GetUtcNow();

    public static void ThrowIfInvalid(string connectionId, ISessionObserver observer)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        ArgumentNullException.ThrowIfNull(observer);
    }

    /// <summary>Registers a socket or renews its lease.</summary>
    /// <returns>True for a socket the table did not hold.</returns>
    public bool Register(string connectionId, ISessionObserver observer, bool wantsEvents)
    {
        var isNew = !_sockets.ContainsKey(connectionId);
        _sockets[connectionId] = new ConnectedSocket(observer, wantsEvents, clock.GetUtcNow() + lease);
        return isNew;
    }

    /// <returns>False for a socket the table did not hold.</returns>
    public bool Remove(string connectionId)
    {
        if (!_sockets.Remove(connectionId))
        {
            return false;
        }

        MarkIfNoneLeft();
        return true;
    }

    /// <summary>Forgets sockets whose front end stopped renewing them: it died or lost the cluster.</summary>
    /// <returns>How many were forgotten.</returns>
    public int RemoveUnrenewed()
    {
        var now = clock.GetUtcNow();
        var expired = 0;
        foreach (var (connectionId, socket) in _sockets)
        {
            // Removing the entry being enumerated is allowed: Dictionary.Remove does not invalidate the enumerator.
            if (socket.LeaseEnds < now && _sockets.Remove(connectionId))
            {
                expired++;
            }
        }

        if (expired > 0)
        {
            MarkIfNoneLeft();
        }

        return expired;
    }

    /// <summary>Forgets every socket.</summary>
    /// <returns>Their observers, to be told why.</returns>
    public List<ISessionObserver> RemoveAll()
    {
        var observers = _sockets.Values.Select(socket => socket.Observer).ToList();
        _sockets.Clear();
        MarkIfNoneLeft();
        return observers;
    }

    private void MarkIfNoneLeft()
    {
        if (_sockets.Count == 0)
        {
            NoSocketSince = clock.GetUtcNow();
        }
    }
}
