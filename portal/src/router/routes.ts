// The one route table: every page under the layout, its menu title and the roles that may see
// it ([] = every signed-in account). The side menu and the route guard both read it, so adding
// a page is one entry here plus its view (see CONTRIBUTING.md, "Portal"). A long menu (an
// admin's, a leader's) shows its pages in groups that follow the cycle: plan and execute,
// evaluate and feed back, the year's appraisal, then the settings; staff pages stay flat.
import type { RouteComponent } from 'vue-router'
import type { Role } from '@/gql/graphql'

/** The menu's groups, in the menu's order, with their titles. */
export const MENU_GROUPS = {
  plan: '计划与执行',
  evaluate: '评价与结果',
  annual: '年度考核',
  manage: '设置与管理',
} as const
export type MenuGroup = keyof typeof MENU_GROUPS

export interface PageEntry {
  /** Path under the layout, without the leading slash ('' is 首页). */
  path: string
  name: string
  /** The menu label. */
  title: string
  roles: readonly Role[]
  component: () => Promise<RouteComponent>
  /** False for pages reached by a link rather than from the menu. */
  inMenu?: boolean
  /** The menu group the page sits in when the menu is long; none: always at the top level. */
  group?: MenuGroup
}

/** One line of the side menu: a page, or a group of pages (an el-sub-menu). */
export type MenuLine =
  | { kind: 'page'; page: PageEntry }
  | { kind: 'group'; group: MenuGroup; title: string; pages: PageEntry[] }

/** Menus up to this long stay flat. */
const SHORT_MENU = 10

/** The side menu of the pages an account may see: flat when short; otherwise each group with
 * two pages or more becomes one line at the place of its first page. */
export function menuLines(visible: readonly PageEntry[]): MenuLine[] {
  const flat = visible.length <= SHORT_MENU
  const lines: MenuLine[] = []
  const seen = new Set<MenuGroup>()
  for (const page of visible) {
    const group = page.group
    if (flat || !group) {
      lines.push({ kind: 'page', page })
    } else if (!seen.has(group)) {
      seen.add(group)
      const pages = visible.filter((p) => p.group === group)
      lines.push(pages.length > 1
        ? { kind: 'group', group, title: MENU_GROUPS[group], pages }
        : { kind: 'page', page })
    }
  }
  return lines
}

const PEOPLE_WITH_TASKS: readonly Role[] = [
  'staff', 'department_head', 'office', 'supervising_leader', 'principal_leader',
]

// Whoever rates others from a management post (peers rate too, from the staff's own pages).
const RATERS: readonly Role[] = ['department_head', 'supervising_leader', 'principal_leader']

const LEADERS: readonly Role[] = ['principal_leader', 'supervising_leader']

// The city organization department's screens: nobody of a unit sees them (its admin neither).
const CITY: readonly Role[] = ['city_organization_department']

export const pages: readonly PageEntry[] = [
  { path: '', name: 'home', title: '首页', roles: [],
    component: () => import('@/views/HomeView.vue') },
  { path: 'my-tasks', name: 'my-tasks', title: '我的任务', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyTasksView.vue') },
  { path: 'declaration', name: 'declaration', title: '实绩申报', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/DeclarationView.vue') },
  { path: 'my-results', name: 'my-results', title: '我的考核结果', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyResultsView.vue') },
  { path: 'my-interviews', name: 'my-interviews', title: '反馈谈话', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyInterviewsView.vue') },
  { path: 'my-indicators', name: 'my-indicators', title: '我的指标', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyIndicatorsView.vue') },
  { path: 'publicity', name: 'publicity', title: '实绩公示', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/PublicityView.vue') },
  { path: 'duty-report', name: 'duty-report', title: '年度述职', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/MyDutyReportView.vue') },
  { path: 'ballot', name: 'ballot', title: '民主测评', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/BallotView.vue') },
  { path: 'board', name: 'board', title: '点赞/错情', roles: PEOPLE_WITH_TASKS,
    component: () => import('@/views/BoardView.vue') },
  { path: 'notifications', name: 'notifications', title: '消息通知', roles: [], inMenu: false,
    component: () => import('@/views/NotificationsView.vue') },
  { path: 'change-password', name: 'change-password', title: '修改密码', roles: [], inMenu: false,
    component: () => import('@/views/ChangePasswordView.vue') },
  { path: 'dashboard', name: 'dashboard', title: '领导看板', roles: LEADERS,
    component: () => import('@/views/LeaderDashboardView.vue') },
  { path: 'periods', name: 'periods', title: '考核周期', group: 'plan', roles: ['tenant_admin'],
    component: () => import('@/views/PeriodsView.vue') },
  { path: 'admin/schemes', name: 'admin-schemes', title: '指标体系', group: 'plan', roles: ['tenant_admin'],
    component: () => import('@/views/SchemesView.vue') },
  { path: 'admin/letters', name: 'admin-letters', title: '岗位责任书', group: 'plan', roles: ['tenant_admin'],
    component: () => import('@/views/LettersView.vue') },
  { path: 'admin/tasks', name: 'admin-tasks', title: '目标任务', group: 'plan', roles: ['tenant_admin'],
    component: () => import('@/views/PlanTasksView.vue') },
  { path: 'task-decompose', name: 'task-decompose', title: '任务分解', group: 'plan',
    roles: ['department_head'],
    component: () => import('@/views/TaskDecomposeView.vue') },
  { path: 'office/supervision', name: 'office-supervision', title: '督办', group: 'plan',
    roles: ['office'],
    component: () => import('@/views/SupervisionView.vue') },
  { path: 'office/commendations', name: 'office-commendations', title: '点赞/错情登记', group: 'plan',
    roles: ['office'], component: () => import('@/views/CommendationsView.vue') },
  { path: 'office/credit-claims', name: 'office-credit-claims', title: '待确认加分', group: 'plan',
    roles: ['office'], component: () => import('@/views/CreditClaimsView.vue') },
  { path: 'office/point-proposals', name: 'point-proposals', title: '待确认扣分/加分', group: 'plan',
    roles: ['office', 'tenant_admin'], component: () => import('@/views/PointProposalsView.vue') },
  { path: 'push-rules', name: 'push-rules', title: '自动采集规则', group: 'plan',
    roles: ['tenant_admin', 'office'],
    component: () => import('@/views/PushRulesView.vue') },
  { path: 'rating', name: 'rating', title: '评价', group: 'evaluate', roles: RATERS,
    component: () => import('@/views/RatingGridView.vue') },
  { path: 'managed-people', name: 'managed-people', title: '我管理的人员', group: 'evaluate',
    roles: ['department_head'],
    component: () => import('@/views/ManagedPeopleView.vue') },
  { path: 'review', name: 'review', title: '综合研判', group: 'evaluate', roles: ['tenant_admin'],
    component: () => import('@/views/ReviewView.vue') },
  { path: 'calibration', name: 'calibration', title: '校准分析', group: 'evaluate',
    roles: ['tenant_admin', 'principal_leader'],
    component: () => import('@/views/CalibrationView.vue') },
  // 逐级审核 (issue 17): the levels of the sign-off chain other than the tenant admin, whose
  // 综合研判 page shows the chain too.
  { path: 'signoff', name: 'signoff', title: '逐级审核', group: 'evaluate',
    roles: ['principal_leader', 'supervising_leader', 'department_head'],
    component: () => import('@/views/SignoffView.vue') },
  // The committee (the review's roles) answers objections raised within the publicity period.
  { path: 'objections', name: 'objections', title: '异议处理', group: 'evaluate',
    roles: ['tenant_admin', 'principal_leader'],
    component: () => import('@/views/ObjectionsView.vue') },
  { path: 'interviews', name: 'interviews', title: '谈话记录', group: 'evaluate', roles: ['department_head'],
    component: () => import('@/views/InterviewsView.vue') },
  { path: 'care-list', name: 'care-list', title: '关爱名单', group: 'evaluate', roles: ['department_head'],
    component: () => import('@/views/CareListView.vue') },
  { path: 'results-use', name: 'results-use', title: '结果运用', group: 'evaluate', roles: ['tenant_admin'],
    component: () => import('@/views/ResultsUseView.vue') },
  { path: 'bonus', name: 'bonus', title: '绩效奖金', group: 'evaluate', roles: ['tenant_admin'],
    component: () => import('@/views/BonusView.vue') },
  { path: 'reports', name: 'reports', title: '报表导出', group: 'evaluate', roles: ['tenant_admin'],
    component: () => import('@/views/ReportsView.vue') },
  { path: 'duty-reports', name: 'duty-reports', title: '述职报告', group: 'annual',
    roles: ['tenant_admin', ...RATERS],
    component: () => import('@/views/DutyReportsView.vue') },
  { path: 'democratic-votes', name: 'democratic-votes', title: '民主测评管理', group: 'annual',
    roles: ['tenant_admin'],
    component: () => import('@/views/DemocraticVotesView.vue') },
  { path: 'org', name: 'org', title: '组织架构', group: 'manage', roles: ['tenant_admin'],
    component: () => import('@/views/OrgView.vue') },
  { path: 'admin/people', name: 'admin-people', title: '人员', group: 'manage', roles: ['tenant_admin'],
    component: () => import('@/views/PeopleView.vue') },
  { path: 'admin/roster', name: 'admin-roster', title: '花名册导入', group: 'manage', roles: ['tenant_admin'],
    component: () => import('@/views/RosterImportView.vue') },
  // Accounts for whoever manages them (security administrator), API tokens for the system
  // administrator (authz/policy.csv); the page shows each its own tab.
  { path: 'admin/accounts', name: 'admin-accounts', title: '账号与角色', group: 'manage',
    roles: ['tenant_admin', 'security_admin', 'system_admin'],
    component: () => import('@/views/AccountsView.vue') },
  { path: 'admin/settings', name: 'admin-settings', title: '单位设置', group: 'manage',
    roles: ['tenant_admin', 'system_admin'],
    component: () => import('@/views/SettingsView.vue') },
  { path: 'admin/audit', name: 'admin-audit', title: '审计日志', group: 'manage',
    roles: ['tenant_admin', 'audit_admin'],
    component: () => import('@/views/AuditView.vue') },
  { path: 'city/comparison', name: 'city-comparison', title: '横向比较', roles: CITY,
    component: () => import('@/views/CityComparisonView.vue') },
  { path: 'city/reports', name: 'city-reports', title: '经验交流', roles: CITY,
    component: () => import('@/views/CityReportsView.vue') },
  { path: 'city/units', name: 'city-units', title: '单位管理', roles: CITY,
    component: () => import('@/views/CityUnitsView.vue') },
]
