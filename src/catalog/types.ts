// The shape of one counter's facts. Every layer that shows, prints or computes a counter
// reads these, so a counter's meaning lives in exactly one place: its domain file here.

/** counter: an event count that only grows; gauge: a level that goes up and down;
 *  setting: a configuration value the kernel reports beside its counters. */
export type CounterKind = 'counter' | 'gauge' | 'setting';

/** How `netstat -s` (net-tools 2.10 statistics.c) prints a known counter: num always,
 *  opt only when nonzero, icmpIn/icmpOut as a line of the ICMP histograms (when nonzero),
 *  hidden never (static settings: netstat never sets print_static). */
export type NetstatPrint = 'num' | 'opt' | 'icmpIn' | 'icmpOut' | 'hidden';

/** A text for the detail view. Shown in a blessed box with tags on: no braces, no controls. */
export interface Explanation {
  title: string;
  meaning: string;
  whenRising?: string;
}

export interface CounterFact {
  /** 'Tcp.RetransSegs', 'IcmpMsg.InType3', 'if.eth0.rxDrop', 'derived.tcp.retransPct'. */
  readonly key: string;
  readonly kind: CounterKind;
  /** Listed by the problems view and drawn hot when it moves. */
  readonly problem: boolean;
  /** netstat -s wording with %llu for the value, or null when netstat has none for it
   *  (then it prints "Name: value" when nonzero). */
  readonly netstat: { readonly text: string; readonly print: NetstatPrint } | null;
  readonly title: string;
  readonly meaning: string;
  readonly whenRising?: string;
  /** What backs the explanation: the kernel file and function that counts it, or the test
   *  that measured it on a real kernel. */
  readonly source: string;
  /** The kernel lists it only once it is nonzero (IcmpMsg, Icmp6 InTypeN): when it
   *  appears, its whole value is new. */
  readonly listedWhenNonzero?: true;
}

/** The explanation part of a spec, shareable between groups (Ip, IpExt and Ip6). */
export interface Text {
  readonly meaning: string;
  readonly rising?: string;
  readonly source?: string;
}

/** What a domain file writes for one counter; everything it leaves out has a default
 *  (a counter, no problem, no netstat wording, the group's text and source). */
export interface Spec {
  readonly kind?: CounterKind;
  readonly problem?: true;
  readonly netstat?: readonly [text: string, print: NetstatPrint];
  readonly meaning?: string;
  readonly rising?: string;
  readonly source?: string;
}
