// The choices of the plan pages (指标体系, 目标任务): the values a person picks when creating,
// with the server's Chinese labels (the SDL's enum descriptions; rows read back carry
// kindLabel / sourceLabel from the server). Typed as complete records: a new value in the
// schema fails the build until it is labelled here.
import type { IndicatorKind, TaskSource } from '@/gql/graphql'

export const INDICATOR_KINDS: Record<IndicatorKind, string> = {
  category: '分类',
  rated: '评价指标',
  credit: '加分项',
  deduction: '减分项',
  conduct_standard: '政治素质负面清单',
}

export const TASK_SOURCES: Record<TaskSource, string> = {
  central: '党中央决策部署',
  provincial: '省委决策部署',
  municipal: '市委决策部署',
  plenary: '全会工作安排',
  ad_hoc: '临时交办',
}

export type TreeNode<T> = T & { children: TreeNode<T>[] }

/** A flat list with parent ids as a tree, siblings in their order (one query, any depth). */
export function buildTree<T extends { id: string; parentId?: string | null; sortOrder: number }>(
  rows: readonly T[]): TreeNode<T>[] {
  const nodes = new Map<string, TreeNode<T>>()
  const sorted = [...rows].sort((a, b) => a.sortOrder - b.sortOrder)
  for (const r of sorted) nodes.set(r.id, { ...r, children: [] })
  const roots: TreeNode<T>[] = []
  for (const r of sorted) {
    const node = nodes.get(r.id)
    const parent = r.parentId ? nodes.get(r.parentId) : undefined
    if (node) (parent ? parent.children : roots).push(node)
  }
  return roots
}
