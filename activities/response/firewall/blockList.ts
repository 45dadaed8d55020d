/** One interface over the firewalls' block lists (R12): an address list that a deny rule already uses. */

export interface FirewallBlockList {
  /** For messages: `OPNsense alias SOAR_BLOCKLIST at https://198.51.100.10`. */
  readonly description: string;
  isBlocked(ip: string): Promise<boolean>;
  /** Adds the address; answers the vendor's name of what it changed (alias entry, address object). */
  block(ip: string): Promise<string>;
  unblock(ip: string): Promise<string>;
}
