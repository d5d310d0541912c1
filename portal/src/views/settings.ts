// The rule settings the 单位设置 page edits: where each lives in the settings document
// (tenants/config.py on the server, read with tenantSettings), how it is edited and what it
// means in words. Defaults come from the API (tenantSettingsDefaults), never from here.
import type { RaterRole } from '@/gql/graphql'

export type SettingKind =
  | { type: 'int'; min: number; max: number; unit?: string }
  | { type: 'share' } // a decimal 0..1 stored as text ("0.40"), shown as a percentage
  | { type: 'bool' }
  | { type: 'text'; maxLength: number } // a paragraph people read
  | { type: 'choice'; options: readonly { value: string; label: string }[] }
  | { type: 'weights' } // rater role -> percent, summing to 100
  | { type: 'bands' } // [[score, grade]]: below the score the grade is at most that grade

export interface Setting {
  /** Dotted path in the settings document, e.g. grading.good_quota_share. */
  path: string
  label: string
  help: string
  kind: SettingKind
}

export interface SettingGroup { title: string; settings: readonly Setting[] }

export const RATER_ROLE_LABELS: Record<RaterRole, string> = {
  department_head: '部门主要负责人', supervising_leader: '分管领导', principal_leader: '主要领导',
  peer: '同级', subordinate: '下级', external_rater: '外部评价人',
}

export const GRADE_LABELS: Record<string, string> = {
  good: '好', fairly_good: '较好', average: '一般', poor: '较差',
}

export const SETTING_GROUPS: readonly SettingGroup[] = [
  { title: '实绩申报', settings: [
    { path: 'declarations.max_items', label: '申报项数上限', kind: { type: 'int', min: 1, max: 20, unit: '项' },
      help: '每人每个季度最多申报的实绩项数（“最多5项”），每项须注明任务来源。' },
  ] },
  { title: '评价', settings: [
    { path: 'rating.role_weights', label: '评价主体权重', kind: { type: 'weights' },
      help: '各评价主体的评分在综合得分中所占的百分比，合计须为100%；为0的主体不生成评价人。' },
    { path: 'rating.missing_rater_rule', label: '缺少评价主体时', kind: { type: 'choice', options: [
      { value: 'renormalize', label: '按其余主体的权重折算到100%' },
      { value: 'zero', label: '缺少的主体记0分' }] },
      help: '某人没有某类评价人（如没有下级）时，这部分权重如何处理。' },
    { path: 'rating.peers_per_person', label: '每人同级评价人数', kind: { type: 'int', min: 0, max: 50, unit: '人' },
      help: '自动安排评价人时，每人由多少名同级干部评价。' },
    { path: 'rating.subordinates_per_person', label: '每名领导的下级评价人数', kind: { type: 'int', min: 0, max: 50, unit: '人' },
      help: '自动安排评价人时，每名领导由多少名直接下级评价。' },
    { path: 'rating.rounding_places', label: '得分保留小数位数', kind: { type: 'int', min: 0, max: 4, unit: '位' },
      help: '综合得分在计算完成后只舍入一次，保留的小数位数。' },
    { path: 'rating.rounding_mode', label: '舍入方式', kind: { type: 'choice', options: [
      { value: 'half_up', label: '四舍五入' }, { value: 'half_even', label: '四舍六入五成双' },
      { value: 'down', label: '直接舍去' }] },
      help: '最终得分舍入时采用的方式。' },
  ] },
  { title: '季度等次', settings: [
    { path: 'grading.good_quota_share', label: '“好”等次比例上限', kind: { type: 'share' },
      help: '“好”等次人数不超过参加考核人数的这一比例（向下取整，至少1人）。' },
    { path: 'grading.shortlist_share', label: '入围比例', kind: { type: 'share' },
      help: '只有排名在前这一比例（默认前50%）的人员才能评为“好”（入围择优）。' },
    { path: 'grading.score_bands', label: '分数段', kind: { type: 'bands' },
      help: '得分低于某一分数时，等次至多为对应等次（如低于60分至多为“较差”）。' },
    { path: 'grading.tie_settlement', label: '并列跨线的处理', kind: { type: 'choice', options: [
      { value: 'review', label: '标记“并列跨线”，由综合研判决定' },
      { value: 'automatic', label: '按同分排序规则自动决定' }] },
      help: '同分人员被“好”等次名额线或入围线隔开时如何处理。' },
  ] },
  { title: '年度等次', settings: [
    { path: 'annual.excellent_quota_share', label: '“优秀”等次比例', kind: { type: 'share' },
      help: '年度“优秀”人数约为参加考核人数的这一比例（四舍五入，至少1人）。' },
    { path: 'annual.shortlist_share', label: '年度入围比例', kind: { type: 'share' },
      help: '只有年度排名在前这一比例的人员才能评为“优秀”。' },
    { path: 'annual.good_quarters_share', label: '“好”等次季度占比', kind: { type: 'share' },
      help: '评为“优秀”须在超过这一比例的季度中被评为“好”。' },
  ] },
  { title: '关爱名单', settings: [
    { path: 'care.bottom_share', label: '排名靠后比例', kind: { type: 'share' },
      help: '季度排名在后这一比例的人员列入关爱名单。' },
    { path: 'care.regression_steps', label: '退步等次数', kind: { type: 'int', min: 1, max: 3, unit: '档' },
      help: '与上一季度相比等次下降这么多档及以上，视为明显退步。' },
    { path: 'care.rank_drop_share', label: '名次下降比例', kind: { type: 'share' },
      help: '名次下降达到参加排名人数的这一比例及以上，视为明显退步；0表示不按此判断。' },
    { path: 'care.rank_drop', label: '名次下降位数', kind: { type: 'int', min: 0, max: 1000, unit: '名' },
      help: '名次下降这么多名及以上，视为明显退步；0表示不按此判断。' },
    { path: 'care.low_fit_threshold', label: '人岗契合度阈值', kind: { type: 'int', min: 0, max: 5, unit: '分' },
      help: '人岗契合度（1至5分）不高于此值时列入关爱名单。' },
    { path: 'care.poor_count', label: '长期较差次数', kind: { type: 'int', min: 1, max: 20, unit: '次' },
      help: '在统计的季度内被评为“较差”达到这么多次，视为长期较差。' },
    { path: 'care.poor_window', label: '统计季度数', kind: { type: 'int', min: 1, max: 20, unit: '个季度' },
      help: '判断长期较差时统计最近多少个季度。' },
  ] },
  { title: '考核周期与反馈', settings: [
    { path: 'periods.allow_rating_before_declarations_close', label: '申报截止前允许评价', kind: { type: 'bool' },
      help: '关闭时，实绩申报阶段结束前不能开始评价。' },
    { path: 'periods.require_interviews_to_close', label: '关闭周期须完成反馈谈话', kind: { type: 'bool' },
      help: '开启时，还有人员未完成反馈谈话则不能关闭考核周期。' },
    { path: 'feedback.require_all_topics', label: '谈话须涵盖“四必谈”', kind: { type: 'bool' },
      help: '开启时，反馈谈话须勾选全部四项内容并分别记录。' },
  ] },
  { title: '公示与异议', settings: [
    { path: 'publicity.objection_working_days', label: '公示期', kind: { type: 'int', min: 1, max: 30, unit: '个工作日' },
      help: '自公示之日起（北京时间，周一至周五为工作日）的公示期；公示期内本单位人员可对公示结果提出异议。' },
    { path: 'publicity.how_to_object', label: '如何提出异议', kind: { type: 'text', maxLength: 1000 },
      help: '随实绩公示一并显示的说明。' },
    { path: 'publicity.objection_max_length', label: '异议理由字数上限', kind: { type: 'int', min: 50, max: 2000, unit: '字' },
      help: '每件异议的事实和理由最多的字数。' },
  ] },
]

export function getPath(doc: unknown, path: string): unknown {
  let value: unknown = doc
  for (const key of path.split('.')) {
    value = value != null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
  }
  return value
}

/** The partial document that sets ``path`` to ``value`` (merged by updateTenantSettings). */
export function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.')
  let node = doc
  keys.slice(0, -1).forEach((key) => {
    const next = node[key]
    if (next == null || typeof next !== 'object') node[key] = {}
    node = node[key] as Record<string, unknown>
  })
  node[keys[keys.length - 1] ?? path] = value
}
