// The rule settings the 单位设置 page edits: where each lives in the settings document
// (tenants/config.py on the server, read with tenantSettings), how it is edited and what it
// means in words. Defaults come from the API (tenantSettingsDefaults), never from here.
import type { RaterRole } from '@/gql/graphql'

export type SettingKind =
  | { type: 'int'; min: number; max: number; unit?: string }
  | { type: 'share' } // a decimal 0..1 stored as text ("0.40"), shown as a percentage
  | { type: 'bool' }
  | { type: 'paragraph'; maxLength: number } // a paragraph people read
  | { type: 'choice'; options: readonly { value: string; label: string }[] }
  | { type: 'weights' } // rater role -> percent, summing to 100
  | { type: 'bands' } // [[score, grade]]: below the score the grade is at most that grade
  | { type: 'chain' } // [{name, role}]: the sign-off chain's levels, first first
  | { type: 'text'; placeholder?: string } // one line
  | { type: 'days' } // a list of whole days, edited as "3,1"

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

export interface ChainLevel { name: string; role: string }

// Who acts at a level of the sign-off chain (逐级审核, tenants/review_config.py).
export const SIGNOFF_ROLE_LABELS: Record<string, string> = {
  department_head: '科室负责人（按部门）', supervising_leader: '分管领导（按部门）',
  committee: '考核委员会（全单位）', principal_leader: '主要领导（全单位）',
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
  { title: '逐级审核', settings: [
    { path: 'review.signoff_chain', label: '审核层级', kind: { type: 'chain' },
      help: '等次逐级审核确认的层级，第一级在前：按部门审核的层级（科室负责人、分管领导）排在前面，最后一级须为全单位层级（考核委员会或主要领导）。每级可调整等次、通过提交上一级或退回下一级；最后一级通过后等次确认。只有一级“综合研判”时与原来的确认方式相同。' },
  ] },
  { title: '年度等次', settings: [
    { path: 'annual.excellent_quota_share', label: '“优秀”等次比例', kind: { type: 'share' },
      help: '年度“优秀”人数约为参加考核人数的这一比例（四舍五入，至少1人）。' },
    { path: 'annual.shortlist_share', label: '年度入围比例', kind: { type: 'share' },
      help: '只有年度排名在前这一比例的人员才能评为“优秀”。' },
    { path: 'annual.good_quarters_share', label: '“好”等次季度占比', kind: { type: 'share' },
      help: '评为“优秀”须在超过这一比例的季度中被评为“好”。' },
    { path: 'annual.include_democratic_vote', label: '等次说明列出民主测评票数', kind: { type: 'bool' },
      help: '开启时，年度考核结果的说明列出本人在已结束的民主测评中各档票数和参评率（只列票数，不计入得分）。' },
    { path: 'annual.duty_report_max_length', label: '述职报告字数上限', kind: { type: 'int', min: 100, max: 20000, unit: '字' },
      help: '述职报告正文最多的字数。' },
    { path: 'annual.duty_report_attachment_max_mb', label: '述职报告附件大小上限', kind: { type: 'int', min: 1, max: 15, unit: 'MB' },
      help: '每份述职报告可附一个文件（PDF、Word 文档或图片），不超过此大小。' },
  ] },
  { title: '校准', settings: [
    { path: 'calibration.flag_z', label: '宽严判断的距离', kind: { type: 'choice', options: [
      { value: '0.5', label: '0.5个标准差' }, { value: '1.0', label: '1个标准差' },
      { value: '1.5', label: '1.5个标准差' }, { value: '2.0', label: '2个标准差' }] },
      help: '评价人所给评分的平均分高于（低于）本单位同类评价主体平均分超过这么多个标准差时，标记为“宽松”（“严格”）。' },
    { path: 'calibration.min_ratings', label: '参与校准的最少评分数', kind: { type: 'int', min: 1, max: 1000, unit: '个' },
      help: '评分少于此数的评价人不作宽严判断，也不作校准。' },
    { path: 'calibration.normalize', label: '按评价人校准评分', kind: { type: 'bool' },
      help: '开启时，计算得分前把每名评价人的评分换算到本单位同类评价主体的平均分和离散程度：校准分 = 单位平均分 +（原评分 − 该评价人平均分）× 单位标准差 ÷ 该评价人标准差，结果限定在0至100分之间；得分说明列出校准后的评分。默认关闭。' },
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
  { title: '消息通知', settings: [
    { path: 'notifications.reminder_days_before', label: '截止前提醒（天）', kind: { type: 'days' },
      help: '在各阶段截止前这些天提醒尚未完成的人员（站内通知及已启用的渠道），用逗号分隔，如 3,1。' },
    { path: 'notifications.email.enabled', label: '启用电子邮件', kind: { type: 'bool' },
      help: '通过单位的 SMTP 服务器向设置了通知邮箱的人员发送邮件。SMTP 密码在下方“通知渠道密钥与测试”中设置。' },
    { path: 'notifications.email.host', label: 'SMTP 服务器', kind: { type: 'text', placeholder: 'smtp.example.gov.cn' },
      help: '发送邮件的服务器地址。' },
    { path: 'notifications.email.port', label: 'SMTP 端口', kind: { type: 'int', min: 1, max: 65535 },
      help: 'SSL/TLS 通常为465，STARTTLS 通常为587。' },
    { path: 'notifications.email.security', label: 'SMTP 加密方式', kind: { type: 'choice', options: [
      { value: 'ssl', label: 'SSL/TLS' }, { value: 'starttls', label: 'STARTTLS' },
      { value: 'none', label: '不加密（仅限内网）' }] },
      help: '与邮件服务器连接时的加密方式。' },
    { path: 'notifications.email.username', label: 'SMTP 用户名', kind: { type: 'text' },
      help: '登录邮件服务器的用户名；为空则不登录。' },
    { path: 'notifications.email.from_address', label: '发件地址', kind: { type: 'text', placeholder: 'kaohe@example.gov.cn' },
      help: '邮件的发件人地址。' },
    { path: 'notifications.wecom.enabled', label: '启用企业微信群机器人', kind: { type: 'bool' },
      help: '向企业微信群机器人发送文本消息。' },
    { path: 'notifications.wecom.url', label: '企业微信 Webhook 地址', kind: { type: 'text', placeholder: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…' },
      help: '群机器人的 Webhook 地址；消息只发往此地址。地址含密钥，保存后只显示“已设置（…末4位）”；要更换请填写完整的新地址，清空并保存则删除。' },
    { path: 'notifications.dingtalk.enabled', label: '启用钉钉群机器人', kind: { type: 'bool' },
      help: '向钉钉群机器人发送文本消息；如机器人启用了“加签”，在下方设置加签密钥。' },
    { path: 'notifications.dingtalk.url', label: '钉钉 Webhook 地址', kind: { type: 'text', placeholder: 'https://oapi.dingtalk.com/robot/send?access_token=…' },
      help: '群机器人的 Webhook 地址；消息只发往此地址。地址含密钥，保存后只显示“已设置（…末4位）”；要更换请填写完整的新地址，清空并保存则删除。' },
  ] },
  { title: '公示与异议', settings: [
    { path: 'publicity.objection_working_days', label: '公示期', kind: { type: 'int', min: 1, max: 30, unit: '个工作日' },
      help: '自公示之日起（北京时间，周一至周五为工作日）的公示期；公示期内本单位人员可对公示结果提出异议。' },
    { path: 'publicity.how_to_object', label: '如何提出异议', kind: { type: 'paragraph', maxLength: 1000 },
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
