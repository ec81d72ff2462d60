// A bounded set of recently seen keys (oldest forgotten first): remembers webhooks already in the ledger so a retry is answered without the database.
export interface RecentKeys {
  has(key: string): boolean;
  add(key: string): void;
}

export function recentKeys(capacity: number): RecentKeys {
  const keys = new Set<string>();
  return {
    has: (key) => keys.has(key),
    add(key) {
      if (keys.has(key)) return;
      keys.add(key);
      if (keys.size > capacity) keys.delete(keys.values().next().value as string);
    },
  };
}
