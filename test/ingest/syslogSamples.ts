/** Sample firewall log lines as OPNsense and FortiGate write them (addresses from the documentation ranges). */

/** OPNsense filterlog: rule 82 blocked an outbound TCP SYN from 192.168.10.23 to 203.0.113.7:443 (a C2 range of the rules). */
export const FILTERLOG_BLOCK_C2 = '82,,,fae559338f65e11c53669fc3642c93c2,vtnet0,match,block,out,4,0x0,,64,51715,0,DF,6,tcp,60,192.168.10.23,203.0.113.7,51234,443,0,S,2376402817,,64240,,mss;sackOK;TS;nop;wscale';

/** OPNsense filterlog: an inbound RDP attempt from `src` blocked on the WAN. */
export function filterlogBlockedRdp(src: string, srcPort = 40000): string {
  return `12,,,02f4bab031b57d1e30553ce08e0ec131,vtnet1,match,block,in,4,0x0,,241,54321,0,none,6,tcp,40,${src},192.0.2.10,${srcPort},3389,0,S,1021033451,,1024,,`;
}

/** FortiGate traffic log: a denied connection from an internal host to 198.51.100.77:4444 (a C2 range of the rules). */
export const FORTIGATE_DENY =
  'date=2026-11-20 time=10:15:32 devname="FGT60F-rheinwerk" devid="FGT60FTK2209000" eventtime=1795684532000000000 tz="+0100" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip=10.20.0.15 srcport=50123 srcintf="internal" dstip=198.51.100.77 dstport=4444 dstintf="wan1" proto=6 action="deny" policyid=7 service="tcp/4444" msg="a \\"quoted\\" note"';
