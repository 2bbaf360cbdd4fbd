// TCP counters: /proc/net/snmp "Tcp:" (RFC 1213 names) and /proc/net/netstat "TcpExt:"
// (Linux's own LINUX_MIB_* counters).
import { group } from './define.js';

const MEM = 'TCP is short of memory: check net.ipv4.tcp_mem and tcp_rmem, slow readers holding large buffers, and overall memory use.';
const OLD = ' Obsolete: newer kernels no longer count it.';

export const TCP = group(
  'Tcp',
  { source: 'net/ipv4/proc.c snmp4_tcp_list (TCP_MIB_*)' },
  {
    RtoAlgorithm: {
      kind: 'setting',
      netstat: ['RTO algorithm is %s', 'hidden'],
      meaning:
        'The retransmission timeout algorithm; 1 means other, which on Linux stands for the Van Jacobson style estimator. A constant, not a counter.',
    },
    RtoMin: {
      kind: 'setting',
      netstat: ['', 'hidden'],
      meaning: 'The smallest retransmission timeout, in milliseconds (200 on Linux). A constant.',
    },
    RtoMax: {
      kind: 'setting',
      netstat: ['', 'hidden'],
      meaning: 'The largest retransmission timeout, in milliseconds (120000 on Linux). A constant.',
    },
    MaxConn: {
      kind: 'setting',
      netstat: ['', 'hidden'],
      meaning: 'The limit on TCP connections; -1 means there is no fixed limit. A constant.',
    },
    ActiveOpens: {
      netstat: ['%llu active connection openings', 'num'],
      meaning: 'Connections this host started by sending a SYN (acting as the client).',
    },
    PassiveOpens: {
      netstat: ['%llu passive connection openings', 'num'],
      meaning: 'Connections this host accepted on a listening socket (acting as the server).',
    },
    AttemptFails: {
      problem: true,
      netstat: ['%llu failed connection attempts', 'num'],
      meaning: 'Connection attempts that failed: handshakes that were reset or timed out in SYN_SENT or SYN_RECV.',
      rising:
        'Outgoing connects are refused or unanswered (closed ports, firewalls, unreachable hosts), or incoming handshakes never complete.',
    },
    EstabResets: {
      problem: true,
      netstat: ['%llu connection resets received', 'num'],
      meaning: 'Connections reset while ESTABLISHED or CLOSE_WAIT, by either side.',
      rising:
        'Peers or middleboxes are tearing down connections abruptly: look for crashing applications, timeouts in load balancers or firewalls dropping idle flows.',
    },
    CurrEstab: {
      kind: 'gauge',
      netstat: ['%llu connections established', 'num'],
      meaning:
        'TCP connections in ESTABLISHED or CLOSE_WAIT right now, as RFC 1213 defines it, on Linux 6.10 and later (and stable kernels that took the fix); older kernels count ESTABLISHED only. A level, not a running total.',
      source:
        'net/ipv4/tcp.c tcp_set_state (TCP_MIB_CURRESTAB, CLOSE_WAIT kept since 6.10); measured: ' +
        'test/catalog-kernel.test.ts "Tcp.CurrEstab counts CLOSE_WAIT on this kernel"',
      rising: 'More concurrent connections; if CLOSE_WAIT makes up much of it, an application is not closing its sockets.',
    },
    InSegs: {
      netstat: ['%llu segments received', 'num'],
      meaning: 'TCP segments received, including those with errors.',
    },
    OutSegs: {
      netstat: ['%llu segments sent out', 'num'],
      meaning:
        'TCP segments sent that carry new data or no data at all (SYN, FIN, pure ACKs). Retransmitted segments are not counted here on Linux but only in RetransSegs, so OutSegs + RetransSegs is everything sent.',
      source:
        'net/ipv4/tcp_output.c __tcp_transmit_skb (TCP_MIB_OUTSEGS only when the segment advances snd_nxt or is empty); measured: ' +
        'test/catalog-kernel.test.ts "Tcp.OutSegs leaves retransmissions out"',
    },
    RetransSegs: {
      problem: true,
      netstat: ['%llu segments retransmitted', 'num'],
      meaning: 'TCP segments sent again because they were not acknowledged in time or were reported lost.',
      rising:
        'Packets are being lost or delayed on the path (congestion, a bad link, a full queue) or a peer is overloaded; compare with OutSegs and the derived retransmit percentage.',
    },
    InErrs: {
      problem: true,
      netstat: ['%llu bad segments received', 'num'],
      meaning: 'TCP segments received with errors: bad checksum, malformed header, or dropped in the receive path.',
      rising: 'Check InCsumErrors for corruption, then the TcpExt drop counters for the other causes.',
    },
    OutRsts: {
      problem: true,
      netstat: ['%llu resets sent', 'num'],
      meaning: 'Segments sent with the RST flag, refusing or aborting connections.',
      rising: 'Often connection attempts to closed ports, or applications aborting sockets; a sudden rise may be a port scan.',
    },
    InCsumErrors: {
      problem: true,
      meaning: 'Received TCP segments with a bad checksum.',
      rising: 'Data is corrupted on the path or by a NIC offload bug; check cables and NIC errors.',
    },
  },
);

export const TCP_EXT = group(
  'TcpExt',
  {
    source: 'net/ipv4/proc.c snmp4_net_list (LINUX_MIB_*, include/uapi/linux/snmp.h)',
  },
  {
    SyncookiesSent: {
      problem: true,
      netstat: ['%llu SYN cookies sent', 'opt'],
      meaning:
        'SYN cookies sent: the SYN queue of a listener was full, so the handshake state was encoded in the SYN-ACK instead of being stored.',
      rising:
        'A SYN flood, or a listener whose queue is too small for its connection rate: raise tcp_max_syn_backlog and the listen backlog.',
    },
    SyncookiesRecv: {
      netstat: ['%llu SYN cookies received', 'opt'],
      meaning: 'ACKs carrying a valid SYN cookie, turning a cookie handshake into a real connection.',
    },
    SyncookiesFailed: {
      problem: true,
      netstat: ['%llu invalid SYN cookies received', 'opt'],
      meaning: 'ACKs that looked like SYN cookie replies but failed validation.',
      rising: 'Spoofed or stale ACKs arriving at a listener, often part of an attack.',
    },
    EmbryonicRsts: {
      netstat: ['%llu resets received for embryonic SYN_RECV sockets', 'opt'],
      meaning: 'Resets received for connections still in the middle of the handshake (SYN_RECV).',
      rising: 'Clients give up halfway through connecting, or a scan is running.',
    },
    PruneCalled: {
      problem: true,
      netstat: ['%llu packets pruned from receive queue because of socket buffer overrun', 'opt'],
      meaning: 'Times a socket receive queue had to be pruned because it ran past its memory limit.',
      rising: 'An application reads too slowly for its receive buffer: ' + MEM,
    },
    RcvPruned: {
      problem: true,
      netstat: ['%llu packets pruned from receive queue', 'opt'],
      meaning: 'Packets dropped from a receive queue because even pruning and collapsing could not free enough memory.',
      rising: 'Data is being thrown away after arrival and must be resent: ' + MEM,
    },
    OfoPruned: {
      problem: true,
      netstat: ['%llu packets dropped from out-of-order queue because of socket buffer overrun', 'opt'],
      meaning: 'Times the out-of-order queue of a socket was dropped to save memory.',
      rising: 'Heavy reordering or loss combined with memory pressure: ' + MEM,
    },
    OutOfWindowIcmps: {
      netstat: ['%llu ICMP packets dropped because they were out-of-window', 'opt'],
      meaning: 'ICMP errors ignored because they referred to data outside the current window.',
      rising: 'Usually stale or spoofed ICMP; many of them can indicate an attack attempt.',
    },
    LockDroppedIcmps: {
      problem: true,
      netstat: ['%llu ICMP packets dropped because socket was locked', 'opt'],
      meaning: 'ICMP errors dropped because the socket they concerned was busy (locked by the application).',
      rising: 'Path MTU or unreachable reports are being lost while applications hold their sockets; usually harmless in small numbers.',
    },
    ArpFilter: { meaning: 'ARP packets filtered out by the arp_filter setting.' },
    TW: {
      netstat: ['%llu TCP sockets finished time wait in fast timer', 'opt'],
      meaning:
        'Sockets that entered TIME_WAIT with the normal timeout (60 s), counted as they enter it, not when the wait ends; netstat words it as finished, which it is not yet.',
      source:
        'net/ipv4/inet_timewait_sock.c __inet_twsk_schedule (LINUX_MIB_TIMEWAITED when the timeout is over 4 s); measured: ' +
        'test/catalog-kernel.test.ts "TcpExt.TW counts sockets as they enter TIME_WAIT"',
    },
    TWRecycled: {
      netstat: ['%llu time wait sockets recycled by time stamp', 'opt'],
      meaning: 'TIME_WAIT sockets reused early based on TCP timestamps (the old tcp_tw_recycle feature, removed in Linux 4.12).' + OLD,
    },
    TWKilled: {
      netstat: ['%llu TCP sockets finished time wait in slow timer', 'opt'],
      meaning:
        'Sockets put into TIME_WAIT (or a closing FIN_WAIT2 handed to a timewait socket) with a timeout of 4 s or less, which happens when tcp_fin_timeout or TCP_LINGER2 is set that low.',
      source: 'net/ipv4/inet_timewait_sock.c __inet_twsk_schedule (LINUX_MIB_TIMEWAITKILLED when the timeout is 4 s or less)',
    },
    PAWSPassive: {
      netstat: ['%llu passive connections rejected because of time stamp', 'opt'],
      meaning: 'Passive connections refused because of an old TCP timestamp (protection against wrapped sequence numbers).' + OLD,
    },
    PAWSActive: {
      netstat: ['%llu active connections rejected because of time stamp', 'opt'],
      meaning: 'Active connections refused because the SYN-ACK carried an old timestamp.',
      rising: 'Peers with broken or reset timestamp clocks, often several hosts behind one NAT.',
    },
    PAWSEstab: {
      netstat: ['%llu packets rejected in established connections because of timestamp', 'opt'],
      meaning: 'Segments on established connections dropped because their timestamp was older than one already seen (PAWS check).',
      rising: 'Duplicated or very delayed packets, or NAT mixing several hosts onto one connection.',
    },
    PAWSOldAck: { meaning: 'ACKs dropped by the PAWS check because their timestamp was too old.' },
    PAWSTimewait: { meaning: 'Segments to a TIME_WAIT socket dropped by the PAWS timestamp check.' },
    DelayedACKs: {
      netstat: ['%llu delayed acks sent', 'opt'],
      meaning: 'Delayed ACKs sent: the kernel held back an ACK hoping to combine it with data, then sent it when the timer fired.',
    },
    DelayedACKLocked: {
      netstat: ['%llu delayed acks further delayed because of locked socket', 'opt'],
      meaning: 'Delayed ACKs that had to wait longer because the application held the socket.',
    },
    DelayedACKLost: {
      problem: true,
      netstat: ['Quick ack mode was activated %llu times', 'opt'],
      meaning: 'Duplicate data received that suggests our earlier ACK got lost, so quick ACK mode was turned on.',
      rising: 'ACKs from this host are lost on the way back: check loss in the reverse direction.',
    },
    ListenOverflows: {
      problem: true,
      netstat: ['%llu times the listen queue of a socket overflowed', 'opt'],
      meaning:
        'Times a listener with a full accept queue dropped a SYN or the final ACK of a handshake. It counts packets turned away, not clients: a client that retries its SYN counts again each time.',
      source:
        'net/ipv4/tcp_input.c tcp_conn_request and tcp_ipv4.c tcp_v4_syn_recv_sock (sk_acceptq_is_full: LINUX_MIB_LISTENOVERFLOWS, then tcp_listendrop); measured: ' +
        'test/catalog-kernel.test.ts "TcpExt.ListenOverflows counts every SYN"',
      rising:
        'The application does not call accept() fast enough, or the backlog is too small: speed up the accept loop or raise the listen backlog and net.core.somaxconn. Recv-Q of the LISTEN socket shows the queue.',
    },
    ListenDrops: {
      problem: true,
      netstat: ['%llu SYNs to LISTEN sockets dropped', 'opt'],
      meaning:
        'Connection requests to a listening socket that were dropped: all the accept queue overflows plus other drops at the SYN stage (no memory, full SYN queue, failed checks).',
      source:
        'include/net/tcp.h tcp_listendrop (LINUX_MIB_LISTENDROPS, called on every listener drop); measured: ' +
        'test/catalog-kernel.test.ts "TcpExt.ListenOverflows counts every SYN"',
      rising:
        'Compare with ListenOverflows: if they match, the accept queue is the problem; otherwise look at SYN flood protection, memory and the syncookies counters.',
    },
    TCPHPHits: {
      netstat: ['%llu packet headers predicted', 'num'],
      meaning: 'Segments handled by the fast path of the receive code (expected in-order data).',
    },
    TCPHPHitsToUser: {
      netstat: ['%llu packet headers predicted and directly queued to user', 'opt'],
      meaning: 'Fast-path segments copied straight to a waiting reader.' + OLD,
    },
    TCPPureAcks: {
      netstat: ['%llu acknowledgments not containing data payload received', 'opt'],
      meaning: 'ACKs received that carried no data and were handled on the slow path.',
    },
    TCPHPAcks: {
      netstat: ['%llu predicted acknowledgments', 'opt'],
      meaning: 'ACKs without data handled on the fast path.',
    },
    TCPRenoRecovery: {
      netstat: ['%llu times recovered from packet loss due to fast retransmit', 'opt'],
      meaning: 'Times a connection without SACK entered fast recovery after duplicate ACKs.',
      rising: 'Packet loss on connections whose peer does not support SACK.',
    },
    TCPSackRecovery: {
      netstat: ['%llu times recovered from packet loss by selective acknowledgements', 'opt'],
      meaning: 'Times a connection with SACK entered fast recovery after detecting a lost segment.',
      rising: 'Packet loss on the path; the connection repairs it without a timeout.',
    },
    TCPSACKReneging: {
      problem: true,
      netstat: ['%llu bad SACK blocks received', 'opt'],
      meaning: 'Times a peer took back data it had already reported as received with SACK.',
      rising: 'A buggy or overloaded peer stack.',
    },
    TCPSACKReorder: {
      netstat: ['Detected reordering %llu times using SACK', 'opt'],
      meaning: 'Packet reordering detected from SACK information.',
    },
    TCPRenoReorder: {
      netstat: ['Detected reordering %llu times using reno fast retransmit', 'opt'],
      meaning: 'Packet reordering detected from duplicate ACKs on connections without SACK.',
    },
    TCPTSReorder: {
      netstat: ['Detected reordering %llu times using time stamp', 'opt'],
      meaning: 'Packet reordering detected from TCP timestamps.',
    },
    TCPFACKReorder: {
      netstat: ['Detected reordering %llu times using FACK', 'opt'],
      meaning: 'Packet reordering detected by forward acknowledgement.' + OLD,
    },
    TCPFullUndo: {
      netstat: ['%llu congestion windows fully recovered without slow start', 'opt'],
      meaning: 'Times a congestion window reduction was fully undone because the retransmission turned out to be needless.',
    },
    TCPPartialUndo: {
      netstat: ['%llu congestion windows partially recovered using Hoe heuristic', 'opt'],
      meaning: 'Times a congestion window reduction was partly undone after ACKs showed the retransmit was unnecessary.',
    },
    TCPDSACKUndo: {
      problem: true,
      netstat: ['%llu congestion windows recovered without slow start by DSACK', 'opt'],
      meaning: 'Times a congestion window reduction was undone because D-SACK showed the retransmit was a duplicate.',
      rising:
        'Retransmissions that were not needed: packets are reordered or delayed on the path rather than lost, so timeouts fire too early.',
    },
    TCPDSackUndo: {
      netstat: ['%llu congestion window recovered without slow start using DSACK', 'opt'],
      meaning: 'Times a congestion window reduction was undone thanks to D-SACK (older spelling of TCPDSACKUndo).',
    },
    TCPLossUndo: {
      netstat: ['%llu congestion windows recovered without slow start after partial ack', 'opt'],
      meaning: 'Times a connection recovered from a retransmit timeout without loss after all, undoing the slowdown.',
    },
    TCPLostRetransmit: {
      problem: true,
      meaning: 'Retransmitted segments that were lost again.',
      rising: 'Heavy loss on the path: the repair packets are being dropped too.',
    },
    TCPLostRetransmits: {
      netstat: ['%llu retransmits lost', 'opt'],
      meaning: 'Retransmitted segments that were lost again.',
      rising: 'Heavy loss on the path: the repair packets are being dropped too.',
    },
    TCPLoss: {
      netstat: ['%llu TCP data loss events', 'opt'],
      meaning: 'Loss events detected by TCP.' + OLD,
    },
    TCPRenoFailures: {
      netstat: ['%llu timeouts after reno fast retransmit', 'opt'],
      meaning: 'Timeouts that happened during fast retransmit on connections without SACK.',
      rising: 'Severe loss: fast recovery could not repair it.',
    },
    TCPSackFailures: {
      netstat: ['%llu timeouts after SACK recovery', 'opt'],
      meaning: 'Timeouts that happened during SACK-based recovery.',
      rising: 'Severe loss: SACK recovery could not repair it.',
    },
    TCPLossFailures: {
      netstat: ['%llu timeouts in loss state', 'opt'],
      meaning: 'Timeouts that happened while a connection was already in loss recovery.',
      rising: 'The path loses many packets in a row or the peer stopped responding.',
    },
    TCPRenoRecoveryFail: {
      netstat: ['%llu classic Reno fast retransmits failed', 'opt'],
      meaning: 'Fast recovery attempts without SACK that ended in a timeout.',
      rising: 'Severe loss on connections whose peer lacks SACK.',
    },
    TCPRenoRecoveryFailed: {
      netstat: ['%llu reno fast retransmits failed', 'opt'],
      meaning: 'Fast recovery attempts without SACK that ended in a timeout (older spelling).',
      rising: 'Severe loss on connections whose peer lacks SACK.',
    },
    TCPSackRecoveryFail: {
      netstat: ['%llu SACK retransmits failed', 'opt'],
      meaning: 'SACK-based recovery attempts that ended in a timeout.',
      rising: 'Severe loss: the repairs themselves are lost.',
    },
    TCPFastRetrans: {
      problem: true,
      netstat: ['%llu fast retransmits', 'opt'],
      meaning: 'Segments retransmitted by fast retransmit (after duplicate ACKs or SACK), without waiting for a timeout.',
      rising: 'Loss on the path that TCP is repairing quickly; compare with RetransSegs.',
    },
    TCPForwardRetrans: {
      netstat: ['%llu forward retransmits', 'opt'],
      meaning: 'Segments retransmitted ahead of the ones known lost.' + OLD,
    },
    TCPSlowStartRetrans: {
      problem: true,
      netstat: ['%llu retransmits in slow start', 'opt'],
      meaning: 'Segments retransmitted in slow start after a timeout.',
      rising: 'Loss bad enough to cause retransmission timeouts.',
    },
    TCPTimeouts: {
      problem: true,
      netstat: ['%llu other TCP timeouts', 'opt'],
      meaning: 'Retransmission timeouts: an ACK did not arrive in time so TCP resent data and shrank its window to the minimum.',
      rising: 'Serious loss or an unresponsive peer; each timeout stalls the connection for at least 200 ms. Check the path and the peer.',
    },
    TCPLossProbes: {
      meaning: 'Tail loss probes sent: a quick probe when the last segments of a burst were not acknowledged.',
    },
    TCPLossProbeRecovery: { meaning: 'Losses repaired thanks to a tail loss probe instead of a timeout.' },
    TCPSchedulerFailed: {
      netstat: ['%llu times receiver scheduled too late for direct processing', 'opt'],
      meaning: 'Times the reading process was not scheduled in time to take data directly.' + OLD,
    },
    TCPRcvCollapsed: {
      netstat: ['%llu packets collapsed in receive queue due to low socket buffer', 'opt'],
      meaning: 'Packets merged in a receive queue to save memory because the buffer was nearly full.',
      rising: 'Applications read slowly relative to their buffers; this costs CPU and precedes pruning.',
    },
    TCPDSACKOldSent: {
      problem: true,
      netstat: ['%llu DSACKs sent for old packets', 'opt'],
      meaning: 'D-SACKs sent telling the peer it resent data we already had.',
      rising: 'The peer retransmits needlessly: our ACKs are lost or delayed, or its timer is too aggressive.',
    },
    TCPDSACKOfoSent: {
      problem: true,
      netstat: ['%llu DSACKs sent for out of order packets', 'opt'],
      meaning: 'D-SACKs sent for duplicate out-of-order data.',
      rising: 'Peers resend data this host already holds out of order: reordering or lost ACKs on the path.',
    },
    TCPDSACKRecv: {
      problem: true,
      netstat: ['%llu DSACKs received', 'opt'],
      meaning: 'D-SACKs received: the peer says it got a segment twice, so one of our retransmissions was unnecessary.',
      rising:
        'Our retransmissions are spurious: the path reorders or delays packets rather than losing them, or our timers fire too early.',
    },
    TCPDSACKRecvSegs: { meaning: 'Segments covered by the D-SACKs received.' },
    TCPDSACKOfoRecv: {
      problem: true,
      netstat: ['%llu DSACKs for out of order packets received', 'opt'],
      meaning: 'D-SACKs received for duplicate out-of-order data.',
      rising: 'We resent data the peer already held out of order: reordering on the path makes our loss detection misfire.',
    },
    TCPDSACKIgnoredOld: { meaning: 'D-SACK blocks ignored because they were too old to matter.' },
    TCPDSACKIgnoredNoUndo: { meaning: 'D-SACK blocks ignored because no recovery was in progress to undo.' },
    TCPDSACKIgnoredDubious: { meaning: 'D-SACK blocks ignored because they looked invalid.' },
    TCPAbortOnData: {
      problem: true,
      netstat: ['%llu connections reset due to unexpected data', 'opt'],
      meaning: 'Connections reset because data arrived after the application had closed the socket.',
      rising: 'The peer keeps sending after we closed; usually a protocol mismatch or an application closing early.',
    },
    TCPAbortOnClose: {
      problem: true,
      netstat: ['%llu connections reset due to early user close', 'opt'],
      meaning: 'Connections reset because the application closed the socket while unread data was still waiting.',
      rising: 'The application closes without reading everything; often harmless, but can point at a bug or aborted requests.',
    },
    TCPAbortOnMemory: {
      problem: true,
      netstat: ['%llu connections aborted due to memory pressure', 'opt'],
      meaning: 'Connections reset because TCP ran out of memory or too many orphaned sockets existed.',
      rising:
        'TCP is short of memory: check net.ipv4.tcp_mem and tcp_rmem, slow readers holding large buffers, and overall memory use. Also check net.ipv4.tcp_max_orphans.',
    },
    TCPAbortOnTimeout: {
      problem: true,
      netstat: ['%llu connections aborted due to timeout', 'opt'],
      meaning: 'Connections dropped after too many retransmissions, keepalive or window probes went unanswered.',
      rising: 'Peers vanish (crashed, unplugged, or a firewall dropped the flow); check the path and the peers.',
    },
    TCPAbortOnLinger: {
      problem: true,
      netstat: ['%llu connections aborted after user close in linger timeout', 'opt'],
      meaning: 'Connections reset when closing because the linger timeout expired.',
      rising: 'Closing sockets could not deliver their last data in time.',
    },
    TCPAbortOnSyn: {
      netstat: ['%llu connections reset due to unexpected SYN', 'opt'],
      meaning: 'Connections reset because of an unexpected SYN on an established connection.' + OLD,
    },
    TCPAbortFailed: {
      problem: true,
      netstat: ['%llu times unable to send RST due to no memory', 'opt'],
      meaning: 'Times a reset could not be sent, typically for lack of memory.',
      rising: 'TCP is short of memory: check net.ipv4.tcp_mem and tcp_rmem, slow readers holding large buffers, and overall memory use.',
    },
    TCPMemoryPressures: {
      problem: true,
      netstat: ['TCP ran low on memory %llu times', 'opt'],
      meaning: 'Times TCP entered memory pressure mode because total TCP memory crossed the tcp_mem pressure threshold.',
      rising: 'TCP is short of memory: check net.ipv4.tcp_mem and tcp_rmem, slow readers holding large buffers, and overall memory use.',
    },
    TCPMemoryPressuresChrono: {
      meaning: 'Milliseconds spent in TCP memory pressure mode.',
      rising: 'TCP is short of memory: check net.ipv4.tcp_mem and tcp_rmem, slow readers holding large buffers, and overall memory use.',
    },
    TCPSACKDiscard: {
      meaning: 'SACK blocks thrown away as invalid.',
      rising: 'A peer or middlebox sends bogus SACK information.',
    },
    TCPSpuriousRTOs: {
      problem: true,
      meaning: 'Retransmission timeouts later found to be unnecessary (the original data had arrived), detected by F-RTO.',
      rising: 'Delay spikes on the path, for example on wireless links, rather than real loss.',
    },
    TCPMD5NotFound: {
      meaning: 'Segments dropped because a TCP MD5 signature was expected but missing.',
      rising: 'A BGP or other MD5-protected peer is misconfigured.',
    },
    TCPMD5Unexpected: {
      meaning: 'Segments dropped because they carried an MD5 signature no key was configured for.',
      rising: 'A peer uses a TCP MD5 key this host lacks.',
    },
    TCPMD5Failure: {
      problem: true,
      meaning: 'Segments dropped because their TCP MD5 signature was wrong.',
      rising: 'Mismatched MD5 keys or spoofed segments.',
    },
    TCPSackShifted: { meaning: 'SACKed segments shifted into a neighbor to save memory.' },
    TCPSackMerged: { meaning: 'SACKed segments merged with their neighbor.' },
    TCPSackShiftFallback: { meaning: 'SACKs that could not use the shift optimisation.' },
    TCPBacklogCoalesce: { meaning: 'Segments merged in the socket backlog while the application held the socket.' },
    TCPBacklogDrop: {
      problem: true,
      meaning: 'Segments dropped because the socket backlog was full while the application held the socket lock.',
      rising:
        'The owning thread keeps the socket busy too long or receive buffers are too small; raise tcp_rmem or look at the application.',
    },
    PFMemallocDrop: {
      meaning: 'Segments dropped because they used emergency memory reserves the socket may not use.',
      rising: 'The system is critically short of memory.',
    },
    TCPMinTTLDrop: {
      meaning: 'Segments dropped because their TTL was below the minimum set with IP_MINTTL (a BGP protection).',
      rising: 'Packets from farther away than allowed, possibly spoofed.',
    },
    TCPDeferAcceptDrop: {
      meaning: 'Handshake-completing ACKs ignored on a TCP_DEFER_ACCEPT listener because no data came with them.',
    },
    IPReversePathFilter: {
      meaning:
        'Packets dropped by reverse path filtering (rp_filter): the source address would not be routed back out of the interface it arrived on.',
      rising: 'Asymmetric routing or spoofed sources; check rp_filter and the routes of multi-homed setups.',
    },
    TCPTimeWaitOverflow: {
      meaning: 'TIME_WAIT sockets not created because net.ipv4.tcp_max_tw_buckets was reached.',
      rising: 'Very many short connections; closes skip the TIME_WAIT protection. Reuse connections or raise the limit.',
    },
    TCPReqQFullDoCookies: {
      problem: true,
      meaning: 'SYNs answered with a SYN cookie because the SYN queue was full.',
      rising: 'A SYN flood or a very busy listener; see SyncookiesSent.',
    },
    TCPReqQFullDrop: {
      problem: true,
      meaning: 'SYNs dropped because the SYN queue was full and syncookies were off.',
      rising: 'Clients cannot connect: enable tcp_syncookies or raise tcp_max_syn_backlog, and check for a SYN flood.',
    },
    TCPRetransFail: {
      problem: true,
      meaning: 'Retransmissions the kernel tried but could not send, for example because a local queue was full.',
      rising: 'A local bottleneck in the qdisc or device, or memory shortage.',
    },
    TCPRcvCoalesce: {
      meaning: 'Received segments merged with the previous one in the receive queue to save memory.',
    },
    TCPOFOQueue: {
      problem: true,
      meaning: 'Segments that arrived out of order and were queued until the gap before them fills.',
      rising:
        'Loss or reordering on the way to this host, seen from the receiving side: the peer has to fill the gaps, and RetransSegs here does not show it.',
    },
    TCPOFODrop: {
      problem: true,
      meaning: 'Out-of-order segments dropped because the receive buffer was full.',
      rising: 'Receive buffers too small or a slow reader, together with loss or reordering.',
    },
    BeyondWindow: {
      meaning: 'Segments dropped because they did not fit into the receive window the connection had advertised.',
      rising: 'A peer ignores our window, or receive buffers shrank under memory pressure.',
    },
    TCPOFOMerge: { meaning: 'Out-of-order segments that overlapped data already queued.' },
    TCPChallengeACK: {
      meaning: 'Challenge ACKs sent in reply to suspicious RST or SYN segments (RFC 5961 protection).',
      rising: 'Someone may be trying to inject resets into connections, or a middlebox sends stray RSTs.',
    },
    TCPSYNChallenge: {
      meaning: 'Challenge ACKs sent because a SYN arrived on an established connection.',
      rising: 'Peers restarting connections on the same ports, or blind SYN injection attempts.',
    },
    TCPFastOpenActive: { meaning: 'Outgoing connections that sent data in the SYN using TCP Fast Open.' },
    TCPFastOpenActiveFail: {
      meaning: 'Outgoing Fast Open attempts that fell back to a normal handshake because the data in the SYN was not acknowledged.',
      rising: 'Middleboxes on the path strip or drop Fast Open; the kernel may disable it (see TCPFastOpenBlackhole).',
    },
    TCPFastOpenPassive: { meaning: 'Incoming connections accepted with data in the SYN (TCP Fast Open).' },
    TCPFastOpenPassiveFail: {
      meaning: 'Incoming Fast Open attempts refused, for example because the cookie was invalid.',
      rising: 'Clients with stale cookies or a key rotation; usually harmless.',
    },
    TCPFastOpenPassiveAltKey: {
      meaning: 'Incoming Fast Open cookies accepted with the backup key after a key rotation.',
    },
    TCPFastOpenListenOverflow: {
      meaning: 'Fast Open requests refused because the limit of pending Fast Open connections on a listener was reached.',
      rising: 'Raise the Fast Open queue length of the listener or check for abuse.',
    },
    TCPFastOpenCookieReqd: { meaning: 'Fast Open cookie requests received from clients.' },
    TCPFastOpenBlackhole: {
      meaning: 'Times active Fast Open was switched off because the network appeared to drop Fast Open packets.',
      rising: 'A firewall on the path discards SYNs with data.',
    },
    TCPSpuriousRtxHostQueues: {
      meaning: 'Retransmissions skipped because the original copy was still waiting in a local queue.',
      rising: 'Local queues (qdisc or device) are very long; check for bufferbloat.',
    },
    BusyPollRxPackets: {
      meaning: 'Packets received through busy polling, where a thread spins on the device instead of waiting for an interrupt.',
    },
    TCPAutoCorking: { meaning: 'Small writes held back briefly and merged into larger segments (auto corking).' },
    TCPFromZeroWindowAdv: { meaning: 'Times we reopened a receive window that had been zero.' },
    TCPToZeroWindowAdv: {
      meaning: 'Times we advertised a zero receive window, telling the peer to stop sending because our buffer is full.',
      rising: 'Local applications read too slowly; look for a stuck or overloaded reader.',
    },
    TCPWantZeroWindowAdv: {
      meaning: 'Times the receive window computed was zero (whether or not it was announced).',
      rising: 'Receive buffers fill up; applications read too slowly.',
    },
    TCPSynRetrans: {
      problem: true,
      meaning: 'SYN and SYN-ACK retransmissions, during connection setup.',
      rising: 'Connection attempts go unanswered: the peer is down, a firewall drops SYNs, or the peer listener is overloaded.',
    },
    TCPOrigDataSent: { meaning: 'Segments sent with new data (not retransmits, not pure ACKs).' },
    TCPHystartTrainDetect: { meaning: 'Times HyStart left slow start early based on the ACK train length.' },
    TCPHystartTrainCwnd: {
      meaning: 'Sum of congestion windows at which HyStart ACK-train detection ended slow start.',
    },
    TCPHystartDelayDetect: {
      meaning: 'Times HyStart left slow start early because round-trip delay was increasing.',
    },
    TCPHystartDelayCwnd: { meaning: 'Sum of congestion windows at which HyStart delay detection ended slow start.' },
    TCPACKSkippedSynRecv: { meaning: 'Duplicate ACKs not sent to a SYN_RECV socket because of rate limiting.' },
    TCPACKSkippedPAWS: { meaning: 'Duplicate ACKs not sent for PAWS-rejected segments because of rate limiting.' },
    TCPACKSkippedSeq: {
      meaning: 'Duplicate ACKs not sent for out-of-window segments because of rate limiting.',
      rising: 'Peers keep sending out-of-window data; a possible ACK-loop or attack.',
    },
    TCPACKSkippedFinWait2: {
      meaning: 'Duplicate ACKs not sent to out-of-window segments in FIN_WAIT2 because of rate limiting.',
    },
    TCPACKSkippedTimeWait: {
      meaning: 'Duplicate ACKs not sent to out-of-window segments in TIME_WAIT because of rate limiting.',
    },
    TCPACKSkippedChallenge: { meaning: 'Challenge ACKs not sent because of rate limiting.' },
    TCPWinProbe: {
      meaning: 'Window probes sent to a peer that advertised a zero window.',
      rising: 'The peer stopped reading; check the remote application.',
    },
    TCPKeepAlive: { meaning: 'Keepalive probes sent on idle connections.' },
    TCPMTUPFail: { meaning: 'Path MTU probes that failed (the larger packet was lost).' },
    TCPMTUPSuccess: { meaning: 'Path MTU probes that succeeded, raising the segment size.' },
    TCPDelivered: { meaning: 'Segments delivered to the peer, as acknowledged by it.' },
    TCPDeliveredCE: {
      meaning: 'Delivered segments that the peer reported as marked with ECN congestion.',
      rising: 'Congestion on the path signalled by ECN.',
    },
    TCPAckCompressed: { meaning: 'ACKs compressed into one because many arrived back to back.' },
    TCPZeroWindowDrop: {
      problem: true,
      meaning: 'Incoming segments dropped because our receive window was zero.',
      rising: 'A local application is not reading; the peer keeps sending anyway.',
    },
    TCPRcvQDrop: {
      problem: true,
      meaning: 'Incoming segments dropped because the socket receive memory was exhausted.',
      rising: 'Slow readers or too small receive buffers: ' + MEM,
    },
    TCPWqueueTooBig: {
      meaning: 'Times the kernel refused to split a segment because the socket write queue was too large.',
    },
    TcpTimeoutRehash: {
      meaning: 'Times the IPv6 flow label was changed after a timeout, hoping a different network path works better.',
    },
    TcpDuplicateDataRehash: {
      meaning: 'Times the IPv6 flow label was changed after receiving duplicate data, to try another path.',
    },
    TCPMigrateReqSuccess: {
      meaning: 'Pending connection requests moved to another SO_REUSEPORT listener when their listener closed.',
    },
    TCPMigrateReqFailure: {
      meaning: 'Pending connection requests that could not be moved to another SO_REUSEPORT listener and were lost.',
      rising: 'Listeners closing while connections are queued, for example during restarts.',
    },
    TCPPLBRehash: { meaning: 'Times Protective Load Balancing moved a congested connection to another path.' },
    TCPAOGood: { meaning: 'Segments whose TCP Authentication Option signature checked out.' },
    TCPAOBad: {
      meaning: 'Segments dropped because their TCP Authentication Option signature was wrong.',
      rising: 'Mismatched TCP-AO keys or spoofed segments.',
    },
    TCPAOKeyNotFound: {
      meaning: 'Segments dropped because no TCP-AO key matched them.',
      rising: 'A peer uses a TCP-AO key this host lacks.',
    },
    TCPAORequired: {
      meaning: 'Segments dropped because they lacked the TCP Authentication Option the connection requires.',
      rising: 'A peer without TCP-AO configured, or spoofed segments.',
    },
    TCPAODroppedIcmps: { meaning: 'ICMP errors ignored for TCP-AO protected connections.' },
    TSEcrRejected: { meaning: 'Segments dropped because the echoed timestamp was invalid.' },
    TCPDirectCopyFromBacklog: {
      netstat: ['%llu bytes directly in process context from backlog', 'opt'],
      meaning: 'Bytes copied to a reader directly from the socket backlog.' + OLD,
    },
    TCPDirectCopyFromPrequeue: {
      netstat: ['%llu bytes directly received in process context from prequeue', 'opt'],
      meaning: 'Bytes copied to a reader directly from the prequeue.' + OLD,
    },
    TCPPrequeued: {
      netstat: ['%llu packets directly queued to recvmsg prequeue', 'opt'],
      meaning: 'Segments placed in the prequeue for a waiting reader.' + OLD,
    },
    TCPPrequeueDropped: {
      netstat: ['%llu packets dropped from prequeue', 'opt'],
      meaning: 'Segments dropped from the prequeue.' + OLD,
    },
    SockMallocOOM: {
      netstat: ['Ran %llu times out of system memory during packet sending', 'opt'],
      meaning: 'Times a socket memory allocation failed because the system was out of memory.',
      rising: 'The system is short of memory; check memory use and socket buffer limits.',
    },
  },
);
