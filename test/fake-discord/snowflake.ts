// Discord ids: snowflakes whose high bits are milliseconds since Discord's epoch, so that discord.js's
// createdTimestamp of messages and interactions reads as "now".
const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

export function snowflake(at = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | increment).toString();
}

export function randomToken(): string {
  return `tok_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}
