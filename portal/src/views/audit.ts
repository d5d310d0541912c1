// The audit log's actions (resolvers call audit.record with these codes) as people read them;
// a code not listed here is shown as it is.
export const ACTION_LABELS: Record<string, string> = {
  'account.create': '新建账号', 'account.create_from_roster': '从花名册新建账号',
  'account.disable': '停用账号', 'account.enable': '启用账号',
  'account.password_change': '修改密码', 'account.password_reset': '重置密码',
  'account.unlock': '解除登录限制', 'api_token.create': '新建接口令牌', 'api_token.revoke': '吊销接口令牌',
  'bonus_run.compute': '计算奖金分配', 'bonus_run.confirm': '确认奖金分配', 'bonus_run.start': '发起奖金分配',
  'care_action.end': '结束关爱措施', 'care_action.record': '记录关爱措施',
  'declaration.save': '保存实绩申报', 'declaration.submit': '提交实绩申报',
  'experience_report.review': '答复经验/问题报告', 'experience_report.submit': '提交经验/问题报告',
  'grade.confirm': '确认等次', 'grade.override': '调整等次',
  'interview.acknowledge': '确认反馈谈话', 'interview.record': '记录反馈谈话',
  'letter.set': '设置岗位责任书',
  'login.failure': '登录失败', 'login.locked': '登录被锁定', 'login.refused': '登录被拒绝',
  'login.success': '登录成功', 'login.totp_required': '登录须动态验证码',
  'management.add': '新增管理关系', 'management.remove': '删除管理关系',
  'one_time_file.take': '下载一次性文件', 'oversight.min_group_size': '设置最小统计人数',
  'period.advance': '推进考核阶段', 'period.create': '新建考核周期', 'period.deadlines': '设置截止时间',
  'period.reopen': '重新开启考核周期', 'period.scheme.pin': '选定指标体系版本',
  'person.post': '调整岗位', 'person.save': '保存人员', 'points.confirm': '确认加减分',
  'points.record': '登记加减分', 'post.save': '保存岗位', 'post_assignment.record': '记录岗位变动',
  'raters.add': '增加评价人', 'raters.generate': '生成评价人', 'raters.remove': '移除评价人',
  'rating.save': '保存评价', 'report.share': '报送报表', 'report.unshare': '撤回报表',
  'results.compute': '计算考核结果', 'results.compute_annual': '计算年度结果',
  'results_use.record': '记录结果运用', 'role.grant': '授予角色', 'role.revoke': '收回角色',
  'roster.import': '导入花名册', 'scheme.create': '新建指标体系', 'scheme.dimensions.set': '设置评价维度',
  'scheme.dynamic.add': '增设动态指标', 'scheme.dynamic.carry': '沿用动态指标',
  'scheme.import': '导入指标体系', 'scheme.node.delete': '删除指标', 'scheme.node.save': '保存指标',
  'scheme.publish': '发布指标体系', 'scheme.version.create': '新建指标体系版本',
  'session.logout': '退出登录', 'supervision.progress': '记录督办进展', 'supervision.rectify': '整改销号',
  'task.create': '新建任务', 'task.import': '导入任务', 'task.milestone': '更新时间节点',
  'task.status': '更新任务状态', 'task.update': '修改任务', 'tenant.settings': '修改单位设置',
  'totp.begin': '开始绑定双因素认证', 'totp.enable': '启用双因素认证', 'totp.reset': '重置双因素认证',
  'unit.create': '新建部门', 'unit.delete': '删除部门', 'unit.update': '修改部门',
  'unit_result.adjust': '调整部门考核结果', 'unit_results.compute': '计算部门考核结果',
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action
}

// The audited objects (the table an entry names) as people read them.
export const ENTITY_LABELS: Record<string, string> = {
  account: '账号', api_token: '接口令牌', bonus_run: '奖金分配', care_action: '关爱措施',
  declaration: '实绩申报', experience_report: '经验/问题报告', feedback_interview: '反馈谈话',
  indicator_scheme: '指标体系', job: '后台任务', login: '登录', management_relation: '管理关系',
  one_time_file: '一次性文件', org_unit: '部门', period: '考核周期', person: '人员',
  person_result: '考核结果', platform_settings: '平台设置', point_record: '加减分记录', post: '岗位',
  post_assignment: '岗位变动', rater_assignment: '评价人', report_share: '报送报表',
  results_use_entry: '结果运用', roster: '花名册', scheme_node: '指标', scheme_version: '指标体系版本',
  task: '任务', task_list: '任务清单', task_milestone: '时间节点', tenant: '单位',
  unit_result: '部门考核结果',
}

export function entityLabel(entity: string): string {
  return ENTITY_LABELS[entity] ?? entity
}
