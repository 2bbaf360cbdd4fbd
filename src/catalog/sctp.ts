// SCTP counters (/proc/net/sctp/snmp, present once the sctp module is loaded). netstat -S
// prints them with its own wording; the names drop their "Sctp" prefix here (Sctp.CurrEstab).
import { group } from './define.js';

export const SCTP = group(
  'Sctp',
  { source: 'net/sctp/proc.c sctp_snmp_list (SCTP_MIB_*)' },
  {
    Aborteds: {
      netstat: ['%llu Number of Aborteds ', 'num'],
      meaning: 'Associations ended abruptly by an ABORT, sent or received.',
      rising: 'Peers or applications tearing associations down instead of shutting them down cleanly.',
    },
    ActiveEstabs: {
      netstat: ['%llu Active Associations', 'num'],
      meaning: 'Associations this host set up as the initiator (the SCTP counterpart of TCP active opens).',
    },
    ChecksumErrors: {
      netstat: ['%llu Number of Packets with invalid Checksum', 'num'],
      meaning: 'Received SCTP packets with a bad CRC32c checksum.',
      rising: 'Corruption on the path or a NIC with broken checksum offload.',
    },
    CurrEstab: {
      kind: 'gauge',
      netstat: ['%llu Current Associations', 'num'],
      meaning: 'Associations currently established. A level, not a running total.',
    },
    FragUsrMsgs: {
      netstat: ['%llu Number of messages fragmented', 'num'],
      meaning: 'User messages split into several chunks because they were larger than the path MTU allowed.',
    },
    InCtrlChunks: {
      netstat: ['%llu Number of control chunks received', 'num'],
      meaning: 'Control chunks (INIT, SACK, HEARTBEAT and so on) received.',
    },
    InOrderChunks: { netstat: ['%llu Number of ordered chunks received', 'num'], meaning: 'Data chunks received for in-order delivery.' },
    InSCTPPacks: { netstat: ['%llu Number of SCTP packets received', 'num'], meaning: 'SCTP packets received.' },
    InUnorderChunks: {
      netstat: ['%llu Number of Unordered chunks received', 'num'],
      meaning: 'Data chunks received for unordered delivery.',
    },
    OutCtrlChunks: { netstat: ['%llu Number of control chunks sent', 'num'], meaning: 'Control chunks sent.' },
    OutOfBlues: {
      netstat: ['%llu Number of Out of Blue packets', 'num'],
      meaning: 'Received packets that belong to no known association (out of the blue).',
      rising: 'Stale peers after a restart, or someone probing SCTP ports.',
    },
    OutOrderChunks: { netstat: ['%llu Number of ordered chunks sent', 'num'], meaning: 'Data chunks sent for in-order delivery.' },
    OutSCTPPacks: { netstat: ['%llu Number of SCTP packets sent', 'num'], meaning: 'SCTP packets sent.' },
    OutUnorderChunks: { netstat: ['%llu Number of Unordered chunks sent', 'num'], meaning: 'Data chunks sent for unordered delivery.' },
    PassiveEstabs: {
      netstat: ['%llu Passive Associations', 'num'],
      meaning: 'Associations this host accepted from a peer (the SCTP counterpart of TCP passive opens).',
    },
    ReasmUsrMsgs: {
      netstat: ['%llu Number of messages reassembled ', 'num'],
      meaning: 'User messages put back together from several chunks.',
    },
    Shutdowns: {
      netstat: ['%llu Number of Graceful Terminations', 'num'],
      meaning: 'Associations closed cleanly with the SHUTDOWN exchange.',
    },
  },
);
