// Reads settings from environment variables one at a time, collecting a plain message for each bad value
// instead of throwing, so that every problem is reported at once. Shared by the bot and each adapter, which
// read their own variables.

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads one variable at a time and records a plain message for each bad one instead of throwing. */
export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when unset or blank. */
  text(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  anySet(names: readonly string[]): boolean {
    return names.some((name) => this.text(name) !== undefined);
  }

  required(name: string, what: string, group: readonly string[]): string | undefined {
    const value = this.text(name);
    if (value === undefined) {
      const set = group.filter((other) => this.text(other) !== undefined);
      this.problems.push(`${name} is missing: set it to ${what} (it is needed because ${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set).`);
    }
    return value;
  }

  number(name: string, min: number, max: number): number | undefined {
    return this.inRange(name, min, max, 'a number', Number.isFinite);
  }

  integer(name: string, min: number, max: number): number | undefined {
    return this.inRange(name, min, max, 'a whole number', Number.isInteger);
  }

  private inRange(name: string, min: number, max: number, kind: string, isKind: (value: number) => boolean): number | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!isKind(value) || value < min || value > max) {
      this.problems.push(`${name} must be ${kind} from ${min} to ${max}; it is "${raw}".`);
      return undefined;
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
    this.problems.push(`${name} must be true or false; it is "${raw}".`);
    return undefined;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    const value = allowed.find((option) => option === raw.toLowerCase());
    if (value === undefined) this.problems.push(`${name} must be one of ${allowed.join(', ')}; it is "${raw}".`);
    return value;
  }

  url(name: string): string | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    let parsed: URL | undefined;
    try {
      parsed = new URL(raw);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      this.problems.push(`${name} must be an http(s) URL; it is "${raw}".`);
      return undefined;
    }
    return raw;
  }

  hosts(name: string): string[] | undefined {
    const raw = this.text(name);
    if (raw === undefined) return undefined;
    const hosts = raw.split(',').map((host) => host.trim().toLowerCase()).filter((host) => host.length > 0);
    const bad = hosts.filter((host) => !/^[a-z0-9.-]+(:\d{1,5})?$/.test(host));
    if (hosts.length === 0 || bad.length > 0) {
      this.problems.push(`${name} must be a comma-separated list of host names (such as cdn.example.com); ${bad.length > 0 ? `"${bad.join('", "')}" ${bad.length === 1 ? 'is' : 'are'} not` : 'it is empty'}.`);
      return undefined;
    }
    return hosts;
  }
}
