// Kernel-shaped sock_diag replies for the tcp_info memory tests (tcp-info-footprint,
// tcp-info-garbage): established loopback sockets with a 6.x tcp_info of 280 bytes and nine
// memory slots, packed into 32 KiB chunks as the netlink binding hands them over.

const INFO_LEN = 280;
const MEM_LEN = 36;
/** One message: netlink header, inet_diag_msg, the tcp_info and the memory attributes. */
export const DIAG_MSG_LEN = 16 + 72 + 4 + INFO_LEN + 4 + MEM_LEN;
const PER_CHUNK = Math.floor(32768 / DIAG_MSG_LEN);

/** The chunks of one dump of `n` sockets (each with the bytes it uses), their counters at tick
 *  `t`: bytes_acked 1000·t + k, received 2000·t + k, sent 3000·t + k for socket k. ackedHigh
 *  puts that in bytes_acked's high word (a value above 2^32: a heap number wherever it is boxed). */
export function diagChunks(n: number, t: number, ackedHigh = 0): [Buffer, number][] {
  const out: [Buffer, number][] = [];
  for (let i = 0; i < n; i += PER_CHUNK) {
    const chunk = Buffer.alloc(32768);
    let used = 0;
    for (let j = 0; j < PER_CHUNK && i + j < n; j++) {
      const k = i + j,
        o = j * DIAG_MSG_LEN,
        m = o + 16;
      chunk.writeUInt32LE(DIAG_MSG_LEN, o);
      chunk.writeUInt16LE(20, o + 4);
      chunk[m] = 2;
      chunk[m + 1] = 1;
      chunk.writeUInt16BE(5000 + (k % 8), m + 4);
      chunk.writeUInt16BE(10000 + (k >> 3), m + 6);
      chunk[m + 8] = 127;
      chunk[m + 11] = 1;
      chunk[m + 24] = 127;
      chunk[m + 27] = 1;
      chunk.writeUInt32LE(7000000 + k, m + 44);
      chunk.writeUInt32LE(100000 + k, m + 68);
      let a = m + 72;
      chunk.writeUInt16LE(4 + INFO_LEN, a);
      chunk.writeUInt16LE(2, a + 2);
      chunk[a + 4] = 1;
      chunk.writeUInt32LE(1000 * t + k, a + 4 + 120); // bytes_acked
      chunk.writeUInt32LE(ackedHigh, a + 4 + 124);
      chunk.writeUInt32LE(2000 * t + k, a + 4 + 128); // bytes_received
      chunk.writeUInt32LE(3000 * t + k, a + 4 + 200); // bytes_sent
      a += 4 + INFO_LEN;
      chunk.writeUInt16LE(4 + MEM_LEN, a);
      chunk.writeUInt16LE(7, a + 2);
      used = o + DIAG_MSG_LEN;
    }
    out.push([chunk, used]);
  }
  return out;
}
