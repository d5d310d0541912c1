// Amounts people type and read in 元; the API counts integer 分 (Cents).

/** "600000" / "1234.5" / "1,234.56" -> cents; null when it is not an amount of at most 2 decimals. */
export function yuanToCents(text: string): number | null {
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/,/g, ''))
  if (!m) return null
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

/** Cents as 元 with thousands separators and two decimals: 123,456.79. */
export function centsToYuan(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  const whole = Math.floor(abs / 100).toLocaleString('en-US')
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`
}

/** A Decimal string without trailing zeros: "1.2000000000" -> "1.2", "3.000000" -> "3". */
export function plainDecimal(value: string | null | undefined): string {
  if (value == null) return '—'
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value
}
